/** Encodes records into one Kafka RecordBatch v2, byte for byte as Kafka lays it out. */
import { computeBatchCrc } from './batch-header.js';
import { compress } from './compression.js';
import { invalidRecord } from './corrupt-record.js';
import { resolveBatchSettings, type BatchSettings } from './encode-options.js';
import { writeInt64 } from './int64.js';
import { sizedRecordBytes, sizeRecord, writeRecord, type SizedRecord } from './record-codec.js';
import {
  ATTRIBUTE_MASKS,
  COMPRESSION_IDS,
  HEADER_OFFSETS as AT,
  LOG_OVERHEAD,
  MAGIC_V2,
  RECORD_BATCH_OVERHEAD,
  type EncodeBatchOptions,
  type RecordInput,
} from './record-batch-types.js';

function attributesOf(settings: BatchSettings): number {
  let attributes = COMPRESSION_IDS[settings.compression];
  if (settings.timestampType === 'LogAppendTime') attributes |= ATTRIBUTE_MASKS.logAppendTime;
  if (settings.isTransactional) attributes |= ATTRIBUTE_MASKS.transactional;
  if (settings.isControl) attributes |= ATTRIBUTE_MASKS.control;
  return attributes;
}

function writeHeader(buf: Buffer, settings: BatchSettings, recordCount: number): void {
  writeInt64(buf, AT.baseOffset, settings.baseOffset);
  buf.writeInt32BE(buf.length - LOG_OVERHEAD, AT.batchLength);
  buf.writeInt32BE(settings.partitionLeaderEpoch, AT.partitionLeaderEpoch);
  buf.writeInt8(MAGIC_V2, AT.magic);
  buf.writeInt16BE(attributesOf(settings), AT.attributes);
  buf.writeInt32BE(settings.lastOffsetDelta, AT.lastOffsetDelta);
  writeInt64(buf, AT.baseTimestamp, settings.baseTimestamp);
  writeInt64(buf, AT.maxTimestamp, settings.maxTimestamp);
  writeInt64(buf, AT.producerId, settings.producerId);
  buf.writeInt16BE(settings.producerEpoch, AT.producerEpoch);
  buf.writeInt32BE(settings.baseSequence, AT.baseSequence);
  buf.writeInt32BE(recordCount, AT.recordCount);
  buf.writeUInt32BE(computeBatchCrc(buf, 0, buf.length), AT.crc);
}

function timestampDelta(record: RecordInput, index: number, baseTimestamp: number): number {
  const delta = record.timestamp - baseTimestamp;
  if (!Number.isSafeInteger(delta)) {
    throw invalidRecord(`record ${index} timestamp is too far from the batch's first timestamp`, { index });
  }
  return delta;
}

function sizeRecords(records: RecordInput[], settings: BatchSettings): SizedRecord[] {
  return records.map((record, i) =>
    sizeRecord(record, settings.offsetDeltas[i] as number, timestampDelta(record, i, settings.baseTimestamp)),
  );
}

/** Writes every record; the measured sizes must fill `buf` exactly, as it is allocated unzeroed. */
function writeRecords(buf: Buffer, position: number, sized: SizedRecord[]): void {
  let at = position;
  for (const record of sized) at = writeRecord(buf, at, record);
  if (at !== buf.length) throw new Error(`record batch encoder wrote ${at} of ${buf.length} bytes`);
}

async function recordsSection(sized: SizedRecord[], settings: BatchSettings): Promise<Buffer | undefined> {
  if (settings.compression === 'none' || sized.length === 0) return undefined;
  const recordsBytes = sized.reduce((sum, record) => sum + sizedRecordBytes(record), 0);
  const plain = Buffer.allocUnsafe(recordsBytes);
  writeRecords(plain, 0, sized);
  return compress(settings.compression, plain);
}

/**
 * Encodes `records` as one batch. baseTimestamp is the first record's timestamp and
 * maxTimestamp the largest (CreateTime) or `logAppendTime` (LogAppendTime); offset deltas
 * default to 0, 1, 2, ...
 */
export async function encodeRecordBatch(records: RecordInput[], options: EncodeBatchOptions = {}): Promise<Buffer> {
  const settings = resolveBatchSettings(records, options);
  const sized = sizeRecords(records, settings);
  const compressed = await recordsSection(sized, settings);
  if (compressed !== undefined) {
    const buf = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + compressed.length);
    compressed.copy(buf, RECORD_BATCH_OVERHEAD);
    writeHeader(buf, settings, sized.length);
    return buf;
  }
  const recordsBytes = sized.reduce((sum, record) => sum + sizedRecordBytes(record), 0);
  const buf = Buffer.allocUnsafe(RECORD_BATCH_OVERHEAD + recordsBytes);
  writeRecords(buf, RECORD_BATCH_OVERHEAD, sized);
  writeHeader(buf, settings, sized.length);
  return buf;
}
