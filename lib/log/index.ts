/** Kafka's RecordBatch v2 codec: the public API of lib/log's batch format. */
export type {
  BatchHeader,
  CompressionType,
  DecodedBatch,
  DecodedRecord,
  DecodeOptions,
  EncodeBatchOptions,
  RecordHeader,
  RecordInput,
  TimestampType,
} from './record-batch-types.js';
export {
  ATTRIBUTE_MASKS,
  COMPRESSION_IDS,
  HEADER_OFFSETS,
  LOG_OVERHEAD,
  MAGIC_V2,
  MAX_DECOMPRESSED_SIZE_BYTES,
  MAX_RECORD_OVERHEAD,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  NO_TIMESTAMP,
  RECORD_BATCH_OVERHEAD,
} from './record-batch-types.js';
export { encodeRecordBatch } from './encode-record-batch.js';
export { decodeRecordBatches, decodeBatchAt } from './decode-record-batches.js';
export { readBatchHeader, verifyBatchCrc, setBaseOffset, splitBatches, computeBatchCrc } from './batch-header.js';
export type { BatchPosition } from './batch-header.js';
export { crc32c } from './crc32c.js';
export { recordSizeBytes } from './record-codec.js';
export { incrementSequence, recordSequence } from './sequence.js';
export { codecFor, compress, decompress, compressionFromId, isCompressionType, COMPRESSION_TYPES } from './compression.js';
export type { CompressionCodec } from './compression.js';
export { initZstd } from './zstd-codec.js';
export {
  CONTROL_RECORD_TYPES,
  encodeControlRecordKey,
  decodeControlRecordType,
  encodeEndTransactionMarker,
  decodeEndTransactionMarker,
} from './control-record.js';
export type { ControlRecordTypeName } from './control-record.js';
export {
  sizeOfVarint,
  sizeOfVarlong,
  writeVarint,
  writeVarlong,
  encodeVarint,
  encodeVarlong,
  decodeVarint,
  decodeVarlong,
  decodeVarlongBig,
  encodeUnsignedVarint,
  decodeUnsignedVarint,
  sizeOfUnsignedVarint,
  writeUnsignedVarint,
} from './varint.js';
