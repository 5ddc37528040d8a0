/**
 * Kafka's `Utils.murmur2`: 32-bit MurmurHash2 with seed 0x9747b28c, as the
 * Java client hashes a record key to choose its partition.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/** The hash as Java's signed int32, identical to Kafka's `Utils.murmur2(bytes)`. */
export function murmur2(bytes: Uint8Array): number {
  const length = bytes.length;
  let h = (SEED ^ length) | 0;
  const blockEnd = length - (length % 4);

  for (let i = 0; i < blockEnd; i += 4) {
    let k = (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) | 0;
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }

  h = mixTail(h, bytes, blockEnd);

  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

function mixTail(hash: number, bytes: Uint8Array, blockEnd: number): number {
  const remaining = bytes.length - blockEnd;
  if (remaining === 0) return hash;
  let h = hash;
  if (remaining === 3) h ^= bytes[blockEnd + 2]! << 16;
  if (remaining >= 2) h ^= bytes[blockEnd + 1]! << 8;
  h ^= bytes[blockEnd]!;
  return Math.imul(h, M);
}

/** Kafka's `Utils.toPositive`: clears the sign bit (not `Math.abs`). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}
