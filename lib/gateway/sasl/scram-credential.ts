/**
 * SCRAM credentials as Kafka stores them (KIP-84): per user and mechanism a
 * salt, an iteration count, the stored key and the server key, never the
 * password. The math is RFC 5802 §3 with the hash of RFC 7677 (SHA-256) or
 * SHA-512: SaltedPassword = PBKDF2(password, salt, i), ClientKey =
 * HMAC(SaltedPassword, "Client Key"), StoredKey = H(ClientKey), ServerKey =
 * HMAC(SaltedPassword, "Server Key").
 */
import { createHash, createHmac, pbkdf2, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

export const SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type ScramMechanism = (typeof SCRAM_MECHANISMS)[number];
export const SASL_MECHANISMS = ['PLAIN', ...SCRAM_MECHANISMS] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** Kafka's default and least iteration count (ScramMechanism.minIterations 4096, max 16384). */
export const DEFAULT_ITERATIONS = 4096;
export const MIN_ITERATIONS = 4096;
export const MAX_ITERATIONS = 16384;

export interface ScramCredential {
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

interface ScramHash {
  readonly name: 'sha256' | 'sha512';
  readonly bytes: number;
}

const HASHES: Readonly<Record<ScramMechanism, ScramHash>> = {
  'SCRAM-SHA-256': { name: 'sha256', bytes: 32 },
  'SCRAM-SHA-512': { name: 'sha512', bytes: 64 },
};

export function isScramMechanism(name: string): name is ScramMechanism {
  return (SCRAM_MECHANISMS as readonly string[]).includes(name);
}

export function isSaslMechanism(name: string): name is SaslMechanism {
  return (SASL_MECHANISMS as readonly string[]).includes(name);
}

export function hmac(mechanism: ScramMechanism, key: Buffer, data: Buffer | string): Buffer {
  return createHmac(HASHES[mechanism].name, key).update(data).digest();
}

export function hash(mechanism: ScramMechanism, data: Buffer): Buffer {
  return createHash(HASHES[mechanism].name).update(data).digest();
}

/** RFC 5802's Hi(): PBKDF2 with HMAC-H, one block. The password is taken as UTF-8 (Kafka does not SASLprep). */
export function saltedPassword(mechanism: ScramMechanism, password: string, salt: Buffer, iterations: number): Buffer {
  const { name, bytes } = HASHES[mechanism];
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, bytes, name);
}

export function clientKeyOf(mechanism: ScramMechanism, salted: Buffer): Buffer {
  return hmac(mechanism, salted, 'Client Key');
}

export function serverKeyOf(mechanism: ScramMechanism, salted: Buffer): Buffer {
  return hmac(mechanism, salted, 'Server Key');
}

/** A credential for a password; a fresh random salt (as long as the hash, as Kafka's) unless given. */
export function scramCredential(mechanism: ScramMechanism, password: string, options: { iterations?: number; salt?: Buffer } = {}): ScramCredential {
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
    throw new RangeError(`${mechanism} iterations must be a whole number from ${MIN_ITERATIONS} to ${MAX_ITERATIONS}, got ${iterations}`);
  }
  const salt = options.salt ?? randomBytes(HASHES[mechanism].bytes);
  const salted = saltedPassword(mechanism, password, salt, iterations);
  return { salt, iterations, storedKey: hash(mechanism, clientKeyOf(mechanism, salted)), serverKey: serverKeyOf(mechanism, salted) };
}

/** Whether a password is the one a stored credential was made from (how PLAIN is checked); PBKDF2 off the event loop. */
export async function passwordMatches(mechanism: ScramMechanism, credential: ScramCredential, password: string): Promise<boolean> {
  const { name, bytes } = HASHES[mechanism];
  const salted = await pbkdf2Async(Buffer.from(password, 'utf8'), credential.salt, credential.iterations, bytes, name);
  return sameBytes(hash(mechanism, clientKeyOf(mechanism, salted)), credential.storedKey);
}

/** Constant-time equality of two byte strings (false when the lengths differ). */
export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ (b[i] ?? 0);
  return out;
}
