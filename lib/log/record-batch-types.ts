/**
 * Types and constants of Kafka's RecordBatch v2 (magic 2).
 *
 * Batch header (61 bytes, big-endian):
 *   baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8
 *   | crc uint32 (CRC-32C of attributes..end) | attributes int16 | lastOffsetDelta int32
 *   | baseTimestamp int64 | maxTimestamp int64 | producerId int64 | producerEpoch int16
 *   | baseSequence int32 | recordCount int32
 * followed by the records, or by one compressed blob holding them.
 */

export type CompressionType = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export type TimestampType = 'CreateTime' | 'LogAppendTime';

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface RecordInput {
  key: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  timestamp: number;
  /** Offset relative to the batch's base offset; defaults to the record's index. Must increase. */
  offsetDelta?: number;
}

export interface EncodeBatchOptions {
  /** @default 0 */
  baseOffset?: number;
  /** @default 'none' */
  compression?: CompressionType;
  /** @default 'CreateTime' */
  timestampType?: TimestampType;
  /** Required with LogAppendTime: written as maxTimestamp, the timestamp of every record. */
  logAppendTime?: number;
  /** @default -1 */
  producerId?: number;
  /** @default -1 */
  producerEpoch?: number;
  /** @default -1 */
  baseSequence?: number;
  /** @default false */
  isTransactional?: boolean;
  /** @default false */
  isControl?: boolean;
  /** @default -1 */
  partitionLeaderEpoch?: number;
  /** @default the last record's offsetDelta (0 for an empty batch); kept by compaction. */
  lastOffsetDelta?: number;
}

export interface DecodedRecord {
  offset: number;
  timestamp: number;
  /** A view into the decoded bytes (not a copy). */
  key: Buffer | null;
  /** A view into the decoded bytes (not a copy). */
  value: Buffer | null;
  headers: RecordHeader[];
  offsetDelta: number;
  /** incrementSequence(baseSequence, offsetDelta), or -1 without a base sequence. */
  sequence: number;
}

export interface BatchHeader {
  baseOffset: number;
  batchLength: number;
  /** batchLength + 12: the whole batch on the wire. */
  sizeBytes: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  compression: CompressionType;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
  /** Attribute bit 6: baseTimestamp holds the delete horizon of a compacted batch. */
  hasDeleteHorizonMs: boolean;
  lastOffsetDelta: number;
  /** baseOffset + lastOffsetDelta. */
  lastOffset: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export interface DecodedBatch extends BatchHeader {
  records: DecodedRecord[];
}

export interface DecodeOptions {
  /** Upper bound on a compressed batch's decompressed size. @default MAX_DECOMPRESSED_SIZE_BYTES */
  maxDecompressedSizeBytes?: number;
}

/** Smallest valid batch: the header alone. */
export const RECORD_BATCH_OVERHEAD = 61;
/** baseOffset + batchLength: bytes not counted by batchLength. */
export const LOG_OVERHEAD = 12;
export const MAGIC_V2 = 2;
/** Upper bound on one record's framing (length, attributes, deltas), key, value and headers aside. */
export const MAX_RECORD_OVERHEAD = 21;
/** Smallest encoded record: seven one-byte fields. */
export const MIN_RECORD_SIZE_BYTES = 7;
/** Default bound on decompressed records, against compression bombs. */
export const MAX_DECOMPRESSED_SIZE_BYTES = 64 * 1024 * 1024;

export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;
export const NO_TIMESTAMP = -1;

/** Byte offsets of the header fields. */
export const HEADER_OFFSETS = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordCount: 57,
  records: 61,
} as const;

/** Attribute bits (Kafka reads the low byte only). */
export const ATTRIBUTE_MASKS = {
  compression: 0x07,
  logAppendTime: 0x08,
  transactional: 0x10,
  control: 0x20,
  deleteHorizon: 0x40,
} as const;

/** Kafka's compression ids, attribute bits 0-2. */
export const COMPRESSION_IDS: Readonly<Record<CompressionType, number>> = {
  none: 0,
  gzip: 1,
  snappy: 2,
  lz4: 3,
  zstd: 4,
};
