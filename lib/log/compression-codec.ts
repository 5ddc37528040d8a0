import type { CompressionType } from './record-batch-types.js';

/**
 * One compression codec as Kafka uses it inside a record batch: the records after the
 * 61-byte header are one compressed stream.
 */
export interface CompressionCodec {
  readonly type: CompressionType;
  /** Kafka's id, attribute bits 0-2. */
  readonly id: number;
  compress(data: Buffer): Promise<Buffer>;
  /**
   * Decompresses a whole stream. Throws (any error) on malformed input or when the
   * output would exceed `maxSizeBytes`; the registry turns that into CorruptRecord.
   */
  decompress(data: Buffer, maxSizeBytes: number): Promise<Buffer>;
}

/** Thrown by a codec whose output would pass its size bound. */
export class DecompressedSizeExceeded extends Error {
  constructor(maxSizeBytes: number) {
    super(`decompressed size exceeds ${maxSizeBytes} bytes`);
    this.name = 'DecompressedSizeExceeded';
  }
}
