/**
 * A bounds-checked LZ4 block decoder (the LZ4 block format: sequences of
 * token | literal length ext | literals | offset uint16le | match length ext).
 * Every read and write is checked, so malformed input throws instead of
 * reading or writing outside its buffers.
 */

const MIN_MATCH = 4;
const SHORT_COPY_BYTES = 16;

function readLengthExtension(src: Uint8Array, position: number, end: number, base: number): [number, number] {
  let length = base;
  let at = position;
  let b: number;
  do {
    if (at >= end) throw new Error('lz4 block: truncated length');
    b = src[at++];
    length += b;
  } while (b === 255);
  return [length, at];
}

function copyMatch(dst: Uint8Array, at: number, offset: number, length: number): void {
  const from = at - offset;
  if (offset >= length) {
    dst.copyWithin(at, from, from + length);
    return;
  }
  for (let i = 0; i < length; i++) dst[at + i] = dst[from + i];
}

function copyLiterals(src: Uint8Array, from: number, dst: Uint8Array, at: number, length: number): void {
  if (length < SHORT_COPY_BYTES) {
    for (let i = 0; i < length; i++) dst[at + i] = src[from + i];
    return;
  }
  dst.set(src.subarray(from, from + length), at);
}

/**
 * Decodes the block src[start, end) into dst from `dstStart`, writing below `dstLimit`.
 * Matches may reach back to dst[0] (linked blocks). Returns the position after the output.
 */
export function decodeLz4Block(src: Uint8Array, start: number, end: number, dst: Uint8Array, dstStart: number, dstLimit: number): number {
  let s = start;
  let d = dstStart;
  for (;;) {
    if (s >= end) throw new Error('lz4 block: missing sequence');
    const token = src[s++];
    let literals = token >>> 4;
    if (literals === 15) [literals, s] = readLengthExtension(src, s, end, literals);
    if (literals > end - s || literals > dstLimit - d) throw new Error('lz4 block: literals out of bounds');
    copyLiterals(src, s, dst, d, literals);
    s += literals;
    d += literals;
    if (s === end) return d;
    if (end - s < 2) throw new Error('lz4 block: truncated match offset');
    const offset = src[s] | (src[s + 1] << 8);
    s += 2;
    if (offset === 0 || offset > d) throw new Error('lz4 block: match offset out of bounds');
    let matchLength = token & 15;
    if (matchLength === 15) [matchLength, s] = readLengthExtension(src, s, end, matchLength);
    matchLength += MIN_MATCH;
    if (matchLength > dstLimit - d) throw new Error('lz4 block: match out of bounds');
    copyMatch(dst, d, offset, matchLength);
    d += matchLength;
  }
}
