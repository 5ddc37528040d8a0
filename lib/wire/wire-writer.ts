/**
 * An append-only byte builder for Kafka frames: big-endian integers, Kafka's
 * varints (lib/log/varint.ts), strings and length prefixes. It grows by doubling
 * and copies once at the end.
 */
import {
  sizeOfUnsignedVarint,
  sizeOfVarint,
  sizeOfVarlong,
  writeUnsignedVarint,
  writeVarint,
  writeVarlong,
} from '../log/varint.js';

const INITIAL_BYTES = 256;

export class WireWriter {
  private buf: Buffer;
  private at = 0;

  constructor(initialBytes = INITIAL_BYTES) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  get sizeBytes(): number {
    return this.at;
  }

  /** The bytes written so far, as a view: the writer must not be written to afterwards. */
  toBuffer(): Buffer {
    return this.buf.subarray(0, this.at);
  }

  /** Overwrites an int32 written earlier (a size prefix reserved with `int32(0)`). */
  patchInt32(position: number, value: number): void {
    this.buf.writeInt32BE(value, position);
  }

  int8(value: number): this {
    this.room(1);
    this.buf.writeInt8(value, this.at);
    this.at += 1;
    return this;
  }

  bool(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  int16(value: number): this {
    this.room(2);
    this.buf.writeInt16BE(value, this.at);
    this.at += 2;
    return this;
  }

  uint16(value: number): this {
    this.room(2);
    this.buf.writeUInt16BE(value, this.at);
    this.at += 2;
    return this;
  }

  int32(value: number): this {
    this.room(4);
    this.buf.writeInt32BE(value, this.at);
    this.at += 4;
    return this;
  }

  uint32(value: number): this {
    this.room(4);
    this.buf.writeUInt32BE(value, this.at);
    this.at += 4;
    return this;
  }

  int64(value: bigint): this {
    this.room(8);
    this.buf.writeBigInt64BE(value, this.at);
    this.at += 8;
    return this;
  }

  float64(value: number): this {
    this.room(8);
    this.buf.writeDoubleBE(value, this.at);
    this.at += 8;
    return this;
  }

  /** Zig-zag varint (int32). */
  varint(value: number): this {
    this.room(sizeOfVarint(value));
    this.at = writeVarint(this.buf, this.at, value);
    return this;
  }

  /** Zig-zag varlong (int64). */
  varlong(value: bigint | number): this {
    this.room(sizeOfVarlong(value));
    this.at = writeVarlong(this.buf, this.at, value);
    return this;
  }

  /** Unsigned varint, 0 to 2^32 - 1. */
  unsignedVarint(value: number): this {
    this.room(sizeOfUnsignedVarint(value));
    this.at = writeUnsignedVarint(this.buf, this.at, value);
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.room(bytes.length);
    this.buf.set(bytes, this.at);
    this.at += bytes.length;
    return this;
  }

  /** A length prefix (see WireReader.length); -1 is null. */
  length(compact: boolean, short: boolean, value: number): this {
    if (compact) return this.unsignedVarint(value + 1);
    return short ? this.int16(value) : this.int32(value);
  }

  private room(sizeBytes: number): void {
    if (this.at + sizeBytes <= this.buf.length) return;
    let capacity = this.buf.length * 2;
    while (capacity < this.at + sizeBytes) capacity *= 2;
    const next = Buffer.allocUnsafe(capacity);
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }
}
