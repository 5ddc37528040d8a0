/**
 * A bounds-checked cursor over one Kafka frame. Every read past the end, every
 * length the remaining bytes can not hold and every malformed varint throws a
 * `WireDecodeError`; lengths are checked against the bytes left before anything
 * is allocated, so a hostile length field can not make a decoder allocate or loop.
 */
import { KafkalessError } from '../errors.js';
import { ByteReader } from '../log/byte-reader.js';
import { uuidFromBytes } from './uuid.js';
import { WireDecodeError } from './wire-error.js';

const MAX_STRING_BYTES = 0x7fff;

export class WireReader {
  private readonly inner: ByteReader;

  constructor(buf: Buffer, position = 0, end = buf.length) {
    this.inner = new ByteReader(buf, position, end);
  }

  get position(): number {
    return this.inner.position;
  }

  get remaining(): number {
    return this.inner.end - this.inner.position;
  }

  /** A reader over the next `sizeBytes` bytes; this one moves past them. */
  sub(sizeBytes: number, what: string): WireReader {
    this.ensure(sizeBytes, what);
    const start = this.inner.position;
    this.inner.position += sizeBytes;
    return new WireReader(this.inner.buf, start, start + sizeBytes);
  }

  ensure(sizeBytes: number, what: string): void {
    if (sizeBytes < 0 || sizeBytes > this.remaining) {
      throw this.error(`${what}: needs ${sizeBytes} bytes, ${this.remaining} left`, what);
    }
  }

  error(message: string, what: string): WireDecodeError {
    return new WireDecodeError(message, 'malformed', { field: what, position: this.inner.position });
  }

  int8(what: string): number {
    this.ensure(1, what);
    return this.inner.buf.readInt8(this.inner.position++);
  }

  bool(what: string): boolean {
    return this.int8(what) !== 0;
  }

  int16(what: string): number {
    this.ensure(2, what);
    const value = this.inner.buf.readInt16BE(this.inner.position);
    this.inner.position += 2;
    return value;
  }

  uint16(what: string): number {
    this.ensure(2, what);
    const value = this.inner.buf.readUInt16BE(this.inner.position);
    this.inner.position += 2;
    return value;
  }

  int32(what: string): number {
    this.ensure(4, what);
    const value = this.inner.buf.readInt32BE(this.inner.position);
    this.inner.position += 4;
    return value;
  }

  uint32(what: string): number {
    this.ensure(4, what);
    const value = this.inner.buf.readUInt32BE(this.inner.position);
    this.inner.position += 4;
    return value;
  }

  int64(what: string): bigint {
    this.ensure(8, what);
    const value = this.inner.buf.readBigInt64BE(this.inner.position);
    this.inner.position += 8;
    return value;
  }

  float64(what: string): number {
    this.ensure(8, what);
    const value = this.inner.buf.readDoubleBE(this.inner.position);
    this.inner.position += 8;
    return value;
  }

  uuid(what: string): string {
    return uuidFromBytes(this.raw(16, what));
  }

  /** Zig-zag varint (int32). */
  varint(what: string): number {
    return this.translate(what, () => this.inner.varint());
  }

  /** Zig-zag varlong (int64). */
  varlong(what: string): bigint {
    return this.translate(what, () => this.inner.varlongBig());
  }

  /** Unsigned varint as a non-negative number (up to 2^32 - 1). */
  unsignedVarint(what: string): number {
    return this.translate(what, () => this.inner.unsignedVarint()) >>> 0;
  }

  /** `sizeBytes` bytes as a view into the frame (no copy). */
  raw(sizeBytes: number, what: string): Buffer {
    this.ensure(sizeBytes, what);
    return this.translate(what, () => this.inner.bytes(sizeBytes, what));
  }

  /**
   * A length prefix: int16 (strings) or int32 (bytes, arrays) in classic versions,
   * unsigned varint N+1 in compact ones. Returns -1 for null.
   */
  length(compact: boolean, short: boolean, what: string): number {
    if (compact) return this.unsignedVarint(what) - 1;
    return short ? this.int16(what) : this.int32(what);
  }

  /** A string's bytes as UTF-8 (invalid sequences become U+FFFD, as in Kafka). */
  string(sizeBytes: number, what: string): string {
    if (sizeBytes > MAX_STRING_BYTES) throw this.error(`${what}: string length ${sizeBytes} exceeds ${MAX_STRING_BYTES}`, what);
    return this.raw(sizeBytes, what).toString('utf8');
  }

  private translate<T>(what: string, read: () => T): T {
    try {
      return read();
    } catch (err) {
      if (err instanceof KafkalessError) throw this.error(`${what}: ${err.message}`, what);
      throw err;
    }
  }
}
