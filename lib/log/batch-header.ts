/**
 * The 61-byte batch header: read it (no decompression), check its CRC, patch the
 * base offset in place, and walk concatenated batches.
 */
import { compressionFromId } from './compression.js';
import { corruptRecord } from './corrupt-record.js';
import { crc32c } from './crc32c.js';
import { readInt64, writeInt64 } from './int64.js';
import {
  ATTRIBUTE_MASKS,
  HEADER_OFFSETS as AT,
  LOG_OVERHEAD,
  MAGIC_V2,
  RECORD_BATCH_OVERHEAD,
  type BatchHeader,
} from './record-batch-types.js';
import { KafkalessError } from '../errors.js';

function int64Field(buf: Buffer, position: number, field: keyof typeof AT): number {
  const value = readInt64(buf, position + AT[field]);
  if (value === undefined) throw corruptRecord(`batch ${field} is outside the safe integer range`, { field, position });
  return value;
}

function checkHeaderBounds(buf: Buffer, position: number): void {
  if (!Number.isSafeInteger(position) || position < 0 || buf.length - position < RECORD_BATCH_OVERHEAD) {
    throw corruptRecord(`a record batch needs ${RECORD_BATCH_OVERHEAD} bytes at position ${position}, buffer has ${buf.length}`, {
      position,
    });
  }
  const magic = buf.readInt8(position + AT.magic);
  if (magic !== MAGIC_V2) throw corruptRecord(`unsupported record batch magic ${magic}`, { position, field: 'magic' });
  const batchLength = buf.readInt32BE(position + AT.batchLength);
  if (batchLength < RECORD_BATCH_OVERHEAD - LOG_OVERHEAD) {
    throw corruptRecord(`record batch length ${batchLength} is below the header size`, { position, field: 'batchLength' });
  }
}

function readFlags(buf: Buffer, position: number): Pick<BatchHeader, 'attributes' | 'compression' | 'timestampType' | 'isTransactional' | 'isControl' | 'hasDeleteHorizonMs'> {
  const attributes = buf.readInt16BE(position + AT.attributes);
  const compression = compressionFromId(attributes & ATTRIBUTE_MASKS.compression);
  if (compression === undefined) {
    throw corruptRecord(`unknown compression id ${attributes & ATTRIBUTE_MASKS.compression}`, { position, field: 'attributes' });
  }
  return {
    attributes,
    compression,
    timestampType: (attributes & ATTRIBUTE_MASKS.logAppendTime) !== 0 ? 'LogAppendTime' : 'CreateTime',
    isTransactional: (attributes & ATTRIBUTE_MASKS.transactional) !== 0,
    isControl: (attributes & ATTRIBUTE_MASKS.control) !== 0,
    hasDeleteHorizonMs: (attributes & ATTRIBUTE_MASKS.deleteHorizon) !== 0,
  };
}

/** Reads the header at `position` without touching the records; CorruptRecord if short or not magic 2. */
export function readBatchHeader(buf: Buffer, position = 0): BatchHeader {
  checkHeaderBounds(buf, position);
  const batchLength = buf.readInt32BE(position + AT.batchLength);
  const baseOffset = int64Field(buf, position, 'baseOffset');
  const lastOffsetDelta = buf.readInt32BE(position + AT.lastOffsetDelta);
  const recordCount = buf.readInt32BE(position + AT.recordCount);
  if (recordCount < 0) throw corruptRecord(`negative record count ${recordCount}`, { position, field: 'recordCount' });
  const lastOffset = baseOffset + lastOffsetDelta;
  if (!Number.isSafeInteger(lastOffset)) throw corruptRecord('batch last offset is outside the safe integer range', { position });
  return {
    baseOffset,
    batchLength,
    sizeBytes: batchLength + LOG_OVERHEAD,
    partitionLeaderEpoch: buf.readInt32BE(position + AT.partitionLeaderEpoch),
    magic: MAGIC_V2,
    crc: buf.readUInt32BE(position + AT.crc),
    ...readFlags(buf, position),
    lastOffsetDelta,
    lastOffset,
    baseTimestamp: int64Field(buf, position, 'baseTimestamp'),
    maxTimestamp: int64Field(buf, position, 'maxTimestamp'),
    producerId: int64Field(buf, position, 'producerId'),
    producerEpoch: buf.readInt16BE(position + AT.producerEpoch),
    baseSequence: buf.readInt32BE(position + AT.baseSequence),
    recordCount,
  };
}

function checkWholeBatch(buf: Buffer, position: number, sizeBytes: number): void {
  if (sizeBytes > buf.length - position) {
    throw corruptRecord(`record batch of ${sizeBytes} bytes at position ${position} is truncated to ${buf.length - position}`, {
      position,
    });
  }
}

/** CRC-32C of the batch's attributes..end, as stored at byte 17. */
export function computeBatchCrc(buf: Buffer, position: number, sizeBytes: number): number {
  return crc32c(buf.subarray(position + AT.attributes, position + sizeBytes));
}

/** Checks the whole batch is present and its CRC-32C matches; throws CorruptRecord otherwise. */
export function verifyBatchCrc(buf: Buffer, position = 0): void {
  checkHeaderBounds(buf, position);
  const sizeBytes = buf.readInt32BE(position + AT.batchLength) + LOG_OVERHEAD;
  checkWholeBatch(buf, position, sizeBytes);
  const stored = buf.readUInt32BE(position + AT.crc);
  const computed = computeBatchCrc(buf, position, sizeBytes);
  if (stored !== computed) {
    throw corruptRecord(`record batch CRC mismatch: stored ${stored}, computed ${computed}`, { position, field: 'crc' });
  }
}

/** Writes the batch's base offset in place; it is outside the CRC, so no recomputation. */
export function setBaseOffset(buf: Buffer, baseOffset: number, position = 0): void {
  if (!Number.isSafeInteger(baseOffset) || baseOffset < 0) {
    throw new KafkalessError('InvalidRequest', `base offset ${baseOffset} is not a non-negative safe integer`);
  }
  checkHeaderBounds(buf, position);
  writeInt64(buf, position + AT.baseOffset, baseOffset);
}

export interface BatchPosition {
  position: number;
  sizeBytes: number;
  header: BatchHeader;
}

/** Walks concatenated batches; the buffer must hold whole batches only. */
export function splitBatches(buf: Buffer): BatchPosition[] {
  const batches: BatchPosition[] = [];
  let position = 0;
  while (position < buf.length) {
    const header = readBatchHeader(buf, position);
    checkWholeBatch(buf, position, header.sizeBytes);
    batches.push({ position, sizeBytes: header.sizeBytes, header });
    position += header.sizeBytes;
  }
  return batches;
}
