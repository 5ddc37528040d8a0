/**
 * Decodes concatenated record batches. Every batch's CRC is checked first; any
 * malformed byte ends in KafkalessError('CorruptRecord'), never another exception.
 */
import { splitBatches, verifyBatchCrc } from './batch-header.js';
import { ByteReader } from './byte-reader.js';
import { decompress } from './compression.js';
import { corruptRecord } from './corrupt-record.js';
import { readRecord, type RawRecord } from './record-codec.js';
import { readRecordsFast } from './read-records-fast.js';
import {
  MAX_DECOMPRESSED_SIZE_BYTES,
  MIN_RECORD_SIZE_BYTES,
  RECORD_BATCH_OVERHEAD,
  type BatchHeader,
  type DecodedBatch,
  type DecodedRecord,
  type DecodeOptions,
} from './record-batch-types.js';
import { recordSequence } from './sequence.js';

function isStored(header: BatchHeader, section: Buffer): boolean {
  return header.compression === 'none' || section.length === 0;
}

async function decompressedRecordBytes(section: Buffer, position: number, header: BatchHeader, maxSizeBytes: number): Promise<Buffer> {
  if (header.recordCount > maxSizeBytes / MIN_RECORD_SIZE_BYTES) {
    throw corruptRecord(`record count ${header.recordCount} can not fit in ${maxSizeBytes} bytes`, { position });
  }
  return decompress(header.compression, section, maxSizeBytes);
}

function toDecodedRecord(raw: RawRecord, header: BatchHeader): DecodedRecord {
  const offset = header.baseOffset + raw.offsetDelta;
  const timestamp = header.timestampType === 'LogAppendTime' ? header.maxTimestamp : header.baseTimestamp + raw.timestampDelta;
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(timestamp)) {
    throw corruptRecord('record offset or timestamp is outside the safe integer range', { offset });
  }
  return {
    offset,
    timestamp,
    key: raw.key,
    value: raw.value,
    headers: raw.headers,
    offsetDelta: raw.offsetDelta,
    sequence: recordSequence(header.baseSequence, raw.offsetDelta),
  };
}

/** The general reader: every check, every CorruptRecord (exported for tests against the fast one). */
export function readRecordsChecked(bytes: Buffer, header: BatchHeader): DecodedRecord[] {
  if (header.recordCount > bytes.length / MIN_RECORD_SIZE_BYTES) {
    throw corruptRecord(`record count ${header.recordCount} can not fit in ${bytes.length} bytes`);
  }
  const reader = new ByteReader(bytes);
  const records: DecodedRecord[] = new Array<DecodedRecord>(header.recordCount);
  for (let i = 0; i < header.recordCount; i++) records[i] = toDecodedRecord(readRecord(reader), header);
  if (reader.remaining !== 0) {
    throw corruptRecord(`${reader.remaining} bytes remain after the batch's ${header.recordCount} records`);
  }
  return records;
}

/** Decodes the batch at `position` (its header already read); checks its CRC first. */
export async function decodeBatchAt(buf: Buffer, position: number, header: BatchHeader, options: DecodeOptions = {}): Promise<DecodedBatch> {
  verifyBatchCrc(buf, position);
  const maxSizeBytes = options.maxDecompressedSizeBytes ?? MAX_DECOMPRESSED_SIZE_BYTES;
  const section = buf.subarray(position + RECORD_BATCH_OVERHEAD, position + header.sizeBytes);
  const bytes = isStored(header, section) ? section : await decompressedRecordBytes(section, position, header, maxSizeBytes);
  return { ...header, records: readRecords(bytes, header) };
}

/** The fast reader, or the general one when the fast one declines (see read-records-fast.ts). */
export function readRecords(bytes: Buffer, header: BatchHeader): DecodedRecord[] {
  return readRecordsFast(bytes, header) ?? readRecordsChecked(bytes, header);
}

/** Decodes every batch of `buf`, which must hold whole batches only. */
export async function decodeRecordBatches(buf: Buffer, options: DecodeOptions = {}): Promise<DecodedBatch[]> {
  if (!Buffer.isBuffer(buf)) throw corruptRecord('record batches must be given as a Buffer');
  const batches: DecodedBatch[] = [];
  for (const { position, header } of splitBatches(buf)) batches.push(await decodeBatchAt(buf, position, header, options));
  return batches;
}
