/**
 * Kafka's UUIDs on the wire are 16 bytes; in JS they are Kafka's own string form
 * (`Uuid.toString()`): the 16 bytes in URL-safe base64 without padding, 22 characters.
 */

export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

const UUID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function uuidFromBytes(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, 16).toString('base64url');
}

/** The 16 bytes of a UUID string, or undefined when it is not one. */
export function uuidToBytes(uuid: string): Buffer | undefined {
  if (!UUID_PATTERN.test(uuid)) return undefined;
  const bytes = Buffer.from(uuid, 'base64url');
  return bytes.length === 16 && bytes.toString('base64url') === uuid ? bytes : undefined;
}
