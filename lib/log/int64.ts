const TWO_POW_32 = 4294967296;

/**
 * Reads a big-endian int64 as a JS number, or undefined when it is not a safe integer.
 * hi * 2^32 + lo is exact whenever the true value is safe, and lands outside the safe
 * range whenever it is not, so the check is exact.
 */
export function readInt64(buf: Uint8Array, position: number): number | undefined {
  const view = buf as Buffer;
  const value = view.readInt32BE(position) * TWO_POW_32 + view.readUInt32BE(position + 4);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Writes a safe integer as a big-endian int64. */
export function writeInt64(buf: Buffer, position: number, value: number): void {
  const hi = Math.floor(value / TWO_POW_32);
  buf.writeInt32BE(hi, position);
  buf.writeUInt32BE(value - hi * TWO_POW_32, position + 4);
}
