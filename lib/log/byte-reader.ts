import { corruptRecord } from './corrupt-record.js';

const MAX_FAST_VARLONG_BYTES = 7;
const TWO_POW_7 = 128;

/**
 * A bounds-checked cursor over bytes. Every read past `end` throws CorruptRecord,
 * so a decoder built on it can not read garbage or run off the buffer.
 */
export class ByteReader {
  readonly buf: Buffer;
  position: number;
  end: number;

  constructor(buf: Buffer, position = 0, end = buf.length) {
    this.buf = buf;
    this.position = position;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.position;
  }

  ensure(sizeBytes: number, what: string): void {
    if (sizeBytes < 0 || sizeBytes > this.end - this.position) {
      throw corruptRecord(`${what}: needs ${sizeBytes} bytes, ${this.end - this.position} left`, {
        field: what,
        position: this.position,
      });
    }
  }

  int8(): number {
    this.ensure(1, 'int8');
    return this.buf.readInt8(this.position++);
  }

  /** Zig-zag varint (int32), at most 5 bytes; Kafka's ByteUtils.readVarint. */
  varint(): number {
    const zigzag = this.rawVarint32();
    return (zigzag >>> 1) ^ -(zigzag & 1);
  }

  /** Unsigned LEB128 (int32 bit pattern), at most 5 bytes: the protocol's compact lengths. */
  unsignedVarint(): number {
    return this.rawVarint32() | 0;
  }

  /** Zig-zag varlong (int64) as a JS number; CorruptRecord when not a safe integer. */
  varlong(): number {
    const { buf, end } = this;
    const start = this.position;
    let position = start;
    let value = 0;
    let multiplier = 1;
    for (let i = 0; i < MAX_FAST_VARLONG_BYTES; i++) {
      if (position >= end) throw this.truncated('varlong');
      const b = buf[position++];
      value += (b & 0x7f) * multiplier;
      if ((b & 0x80) === 0) {
        this.position = position;
        return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
      }
      multiplier *= TWO_POW_7;
    }
    const big = this.varlongBig();
    const asNumber = Number(big);
    if (!Number.isSafeInteger(asNumber)) {
      throw corruptRecord(`varlong ${big} is outside the safe integer range`, { position: start });
    }
    return asNumber;
  }

  /** Zig-zag varlong (int64) as a bigint, at most 10 bytes; Kafka's ByteUtils.readVarlong. */
  varlongBig(): bigint {
    const { buf, end } = this;
    let position = this.position;
    let value = 0n;
    let shift = 0n;
    for (;;) {
      if (position >= end) throw this.truncated('varlong');
      const b = buf[position++];
      if ((b & 0x80) === 0) {
        value |= BigInt(b) << shift;
        break;
      }
      value |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (shift > 63n) throw corruptRecord('varlong longer than 10 bytes', { position: this.position });
    }
    this.position = position;
    const unsigned = BigInt.asUintN(64, value);
    return BigInt.asIntN(64, (unsigned >> 1n) ^ -(unsigned & 1n));
  }

  /** `sizeBytes` bytes as a view (no copy). */
  bytes(sizeBytes: number, what: string): Buffer {
    this.ensure(sizeBytes, what);
    const start = this.position;
    this.position += sizeBytes;
    return this.buf.subarray(start, this.position);
  }

  /** A varint length then that many bytes; length -1 is null, below -1 is corrupt. */
  nullableBytes(what: string): Buffer | null {
    const sizeBytes = this.varint();
    if (sizeBytes === -1) return null;
    if (sizeBytes < -1) throw corruptRecord(`${what} has a negative length ${sizeBytes}`, { field: what });
    return this.bytes(sizeBytes, what);
  }

  private rawVarint32(): number {
    const { buf, end } = this;
    let position = this.position;
    let value = 0;
    let shift = 0;
    for (;;) {
      if (position >= end) throw this.truncated('varint');
      const b = buf[position++];
      if ((b & 0x80) === 0) {
        value |= b << shift;
        break;
      }
      value |= (b & 0x7f) << shift;
      shift += 7;
      if (shift > 28) throw corruptRecord('varint longer than 5 bytes', { position: this.position });
    }
    this.position = position;
    return value;
  }

  private truncated(what: string): Error {
    return corruptRecord(`${what} runs past the end of its buffer`, { field: what, position: this.position });
  }
}
