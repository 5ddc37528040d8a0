/**
 * CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, init and xorout 0xFFFFFFFF.
 *
 * Slice-by-16: sixteen 256-entry tables let the loop consume 16 bytes per step. On
 * little-endian hosts the aligned middle of the input is read as 32-bit words, which
 * is what makes it fast in JS (~1.8 GB/s); elsewhere the same tables are fed bytes.
 */
import { endianness } from 'node:os';

const POLYNOMIAL = 0x82f63b78;
const SLICES = 16;
const WORD_PATH_MIN_BYTES = 64;
const LITTLE_ENDIAN = endianness() === 'LE';

function makeTables(): Int32Array {
  const tables = new Int32Array(SLICES * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    tables[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[n];
    for (let t = 1; t < SLICES; t++) {
      c = tables[c & 0xff] ^ (c >>> 8);
      tables[t * 256 + n] = c;
    }
  }
  return tables;
}

/** T[k * 256 + b]: the CRC of byte b followed by k zero bytes. */
const T = makeTables();

function bytewise(crc: number, buf: Uint8Array, start: number, end: number): number {
  const t = T;
  let c = crc;
  for (let i = start; i < end; i++) c = t[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return c;
}

function sliced(crc: number, buf: Uint8Array, start: number, end: number): [number, number] {
  let c = crc;
  let i = start;
  for (const last = end - 15; i < last; i += 16) {
    const a = c ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24));
    c =
      T[3840 + (a & 0xff)] ^ T[3584 + ((a >>> 8) & 0xff)] ^ T[3328 + ((a >>> 16) & 0xff)] ^ T[3072 + (a >>> 24)] ^
      T[2816 + buf[i + 4]] ^ T[2560 + buf[i + 5]] ^ T[2304 + buf[i + 6]] ^ T[2048 + buf[i + 7]] ^
      T[1792 + buf[i + 8]] ^ T[1536 + buf[i + 9]] ^ T[1280 + buf[i + 10]] ^ T[1024 + buf[i + 11]] ^
      T[768 + buf[i + 12]] ^ T[512 + buf[i + 13]] ^ T[256 + buf[i + 14]] ^ T[buf[i + 15]];
  }
  return [c, i];
}

function slicedWords(crc: number, words: Int32Array): number {
  const t = T; // a local: V8 then keeps the table's base in a register
  let c = crc;
  for (let w = 0, last = words.length - 3; w < last; w += 4) {
    const a = c ^ words[w];
    const b = words[w + 1];
    const d = words[w + 2];
    const e = words[w + 3];
    c =
      t[3840 + (a & 0xff)] ^ t[3584 + ((a >>> 8) & 0xff)] ^ t[3328 + ((a >>> 16) & 0xff)] ^ t[3072 + (a >>> 24)] ^
      t[2816 + (b & 0xff)] ^ t[2560 + ((b >>> 8) & 0xff)] ^ t[2304 + ((b >>> 16) & 0xff)] ^ t[2048 + (b >>> 24)] ^
      t[1792 + (d & 0xff)] ^ t[1536 + ((d >>> 8) & 0xff)] ^ t[1280 + ((d >>> 16) & 0xff)] ^ t[1024 + (d >>> 24)] ^
      t[768 + (e & 0xff)] ^ t[512 + ((e >>> 8) & 0xff)] ^ t[256 + ((e >>> 16) & 0xff)] ^ t[e >>> 24];
  }
  return c;
}

function wordwise(crc: number, buf: Uint8Array): number {
  const misalignment = (4 - (buf.byteOffset & 3)) & 3;
  let c = bytewise(crc, buf, 0, misalignment);
  const wordCount = ((buf.length - misalignment) >>> 4) << 2;
  c = slicedWords(c, new Int32Array(buf.buffer, buf.byteOffset + misalignment, wordCount));
  return bytewise(c, buf, misalignment + wordCount * 4, buf.length);
}

/**
 * Unsigned CRC-32C of `buf`. Pass a previous result as `initial` to continue it:
 * crc32c(b, crc32c(a)) === crc32c(a ++ b).
 */
export function crc32c(buf: Uint8Array, initial = 0): number {
  const crc = ~initial;
  if (buf.length < WORD_PATH_MIN_BYTES) return ~bytewise(crc, buf, 0, buf.length) >>> 0;
  if (LITTLE_ENDIAN) return ~wordwise(crc, buf) >>> 0;
  const [sliceCrc, next] = sliced(crc, buf, 0, buf.length);
  return ~bytewise(sliceCrc, buf, next, buf.length) >>> 0;
}

/** The byte-fed slice-by-16 path, for hosts that are not little-endian (exported for tests). */
export function crc32cPortable(buf: Uint8Array, initial = 0): number {
  const [sliceCrc, next] = sliced(~initial, buf, 0, buf.length);
  return ~bytewise(sliceCrc, buf, next, buf.length) >>> 0;
}
