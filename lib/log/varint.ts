/**
 * Kafka's varints (ByteUtils): zig-zag then unsigned LEB128, 7 bits a byte, least
 * significant group first. varint = int32 (at most 5 bytes), varlong = int64 (at most
 * 10 bytes). Null lengths are -1, i.e. the single byte 0x01.
 */
import { ByteReader } from './byte-reader.js';

export const MAX_VARINT_BYTES = 5;
export const MAX_VARLONG_BYTES = 10;

/** Varlong values up to this magnitude zig-zag into an exact double (< 2^53). */
const MAX_FAST_VARLONG = 2 ** 52;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function zigzag32(value: number): number {
  return ((value << 1) ^ (value >> 31)) >>> 0;
}

function assertInt32(value: number): void {
  if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647) {
    throw new RangeError(`varint value ${value} is not an int32`);
  }
}

function sizeOfUnsigned32(unsigned: number): number {
  if (unsigned < 0x80) return 1;
  if (unsigned < 0x4000) return 2;
  if (unsigned < 0x200000) return 3;
  if (unsigned < 0x10000000) return 4;
  return 5;
}

function writeUnsigned32(buf: Uint8Array, position: number, unsigned: number): number {
  let rest = unsigned;
  let at = position;
  while (rest >= 0x80) {
    buf[at++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  buf[at++] = rest;
  return at;
}

/** Encoded size of an int32 as a zig-zag varint. */
export function sizeOfVarint(value: number): number {
  return sizeOfUnsigned32(zigzag32(value));
}

/** Writes an int32 as a zig-zag varint; returns the position after it. */
export function writeVarint(buf: Uint8Array, position: number, value: number): number {
  return writeUnsigned32(buf, position, zigzag32(value));
}

/** Encoded size of an int32 bit pattern as an unsigned varint (no zig-zag). */
export function sizeOfUnsignedVarint(value: number): number {
  return sizeOfUnsigned32(value >>> 0);
}

/** Writes an int32 bit pattern as an unsigned varint (no zig-zag); returns the next position. */
export function writeUnsignedVarint(buf: Uint8Array, position: number, value: number): number {
  return writeUnsigned32(buf, position, value >>> 0);
}

function zigzagNumber(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

function zigzagBig(value: bigint): bigint {
  return BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
}

function toBigInt64(value: number | bigint): bigint {
  const big = typeof value === 'bigint' ? value : BigInt(value);
  if (big < INT64_MIN || big > INT64_MAX) throw new RangeError(`varlong value ${value} is not an int64`);
  return big;
}

function isFastVarlong(value: number | bigint): value is number {
  return typeof value === 'number' && value <= MAX_FAST_VARLONG && value >= -MAX_FAST_VARLONG;
}

/** Encoded size of an int64 as a zig-zag varlong. */
export function sizeOfVarlong(value: number | bigint): number {
  if (isFastVarlong(value)) {
    let rest = zigzagNumber(value);
    let sizeBytes = 1;
    while (rest >= 0x80) {
      rest = Math.floor(rest / 0x80);
      sizeBytes++;
    }
    return sizeBytes;
  }
  let rest = zigzagBig(toBigInt64(value));
  let sizeBytes = 1;
  while (rest >= 0x80n) {
    rest >>= 7n;
    sizeBytes++;
  }
  return sizeBytes;
}

/** Writes an int64 as a zig-zag varlong; returns the position after it. */
export function writeVarlong(buf: Uint8Array, position: number, value: number | bigint): number {
  let at = position;
  if (isFastVarlong(value)) {
    if (!Number.isInteger(value)) throw new RangeError(`varlong value ${value} is not an integer`);
    let rest = zigzagNumber(value);
    while (rest >= 0x80) {
      buf[at++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    buf[at++] = rest;
    return at;
  }
  let rest = zigzagBig(toBigInt64(value));
  while (rest >= 0x80n) {
    buf[at++] = Number(rest & 0x7fn) | 0x80;
    rest >>= 7n;
  }
  buf[at++] = Number(rest);
  return at;
}

/** A decoded value and the number of bytes it took. */
export interface Decoded<T> {
  value: T;
  sizeBytes: number;
}

function decodeWith<T>(buf: Buffer, position: number, read: (reader: ByteReader) => T): Decoded<T> {
  const reader = new ByteReader(buf, position);
  const value = read(reader);
  return { value, sizeBytes: reader.position - position };
}

/** Encodes an int32 as a zig-zag varint. */
export function encodeVarint(value: number): Buffer {
  assertInt32(value);
  const buf = Buffer.alloc(sizeOfVarint(value));
  writeVarint(buf, 0, value);
  return buf;
}

/** Encodes an int64 (safe number or bigint) as a zig-zag varlong. */
export function encodeVarlong(value: number | bigint): Buffer {
  const buf = Buffer.alloc(sizeOfVarlong(value));
  writeVarlong(buf, 0, value);
  return buf;
}

/** Encodes an int32 bit pattern as an unsigned varint. */
export function encodeUnsignedVarint(value: number): Buffer {
  assertInt32(value);
  const buf = Buffer.alloc(sizeOfUnsignedVarint(value));
  writeUnsignedVarint(buf, 0, value);
  return buf;
}

/** Decodes a zig-zag varint; CorruptRecord when truncated or longer than 5 bytes. */
export function decodeVarint(buf: Buffer, position = 0): Decoded<number> {
  return decodeWith(buf, position, (reader) => reader.varint());
}

/** Decodes a zig-zag varlong as a safe number; CorruptRecord when truncated, too long or unsafe. */
export function decodeVarlong(buf: Buffer, position = 0): Decoded<number> {
  return decodeWith(buf, position, (reader) => reader.varlong());
}

/** Decodes a zig-zag varlong as a bigint (the full int64 range). */
export function decodeVarlongBig(buf: Buffer, position = 0): Decoded<bigint> {
  return decodeWith(buf, position, (reader) => reader.varlongBig());
}

/** Decodes an unsigned varint as an int32 bit pattern. */
export function decodeUnsignedVarint(buf: Buffer, position = 0): Decoded<number> {
  return decodeWith(buf, position, (reader) => reader.unsignedVarint());
}
