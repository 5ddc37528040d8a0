/** Validates encoder input and fills in defaults, before any byte is written. */
import { isCompressionType } from './compression.js';
import { invalidRecord } from './corrupt-record.js';
import { KafkalessError } from '../errors.js';
import {
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  NO_TIMESTAMP,
  type CompressionType,
  type EncodeBatchOptions,
  type RecordInput,
  type TimestampType,
} from './record-batch-types.js';

const INT16_MIN = -32768;
const INT16_MAX = 32767;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export interface BatchSettings {
  baseOffset: number;
  compression: CompressionType;
  timestampType: TimestampType;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  isTransactional: boolean;
  isControl: boolean;
  partitionLeaderEpoch: number;
  offsetDeltas: number[];
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
}

function badOption(message: string, field: string): KafkalessError {
  return new KafkalessError('InvalidRequest', message, { context: { field } });
}

function intOption(value: number | undefined, fallback: number, field: string, min: number, max: number): number {
  const chosen = value ?? fallback;
  if (!Number.isSafeInteger(chosen) || chosen < min || chosen > max) {
    throw badOption(`${field} ${chosen} must be an integer in [${min}, ${max}]`, field);
  }
  return chosen;
}

function checkBytes(value: unknown, field: string, index: number): void {
  if (value !== null && !Buffer.isBuffer(value)) throw invalidRecord(`record ${index} ${field} must be a Buffer or null`, { field, index });
}

function checkRecord(record: RecordInput, index: number): void {
  if (!Number.isSafeInteger(record.timestamp)) {
    throw invalidRecord(`record ${index} timestamp ${record.timestamp} is not a safe integer`, { field: 'timestamp', index });
  }
  checkBytes(record.key, 'key', index);
  checkBytes(record.value, 'value', index);
  for (const header of record.headers ?? []) {
    if (typeof header.key !== 'string') throw invalidRecord(`record ${index} has a header key that is not a string`, { index });
    checkBytes(header.value, 'header value', index);
  }
}

function offsetDeltasOf(records: RecordInput[]): number[] {
  let previous = -1;
  return records.map((record, index) => {
    const delta = record.offsetDelta ?? index;
    if (!Number.isSafeInteger(delta) || delta <= previous || delta > INT32_MAX) {
      throw invalidRecord(`record ${index} offsetDelta ${delta} must be an int32 above the previous one`, { index });
    }
    previous = delta;
    return delta;
  });
}

function timestampsOf(records: RecordInput[], timestampType: TimestampType, logAppendTime: number | undefined): [number, number] {
  if (timestampType === 'LogAppendTime' && !Number.isSafeInteger(logAppendTime)) {
    throw badOption('logAppendTime must be a safe integer with LogAppendTime', 'logAppendTime');
  }
  const first = records[0];
  const baseTimestamp = first === undefined ? NO_TIMESTAMP : first.timestamp;
  if (timestampType === 'LogAppendTime') return [baseTimestamp, logAppendTime as number];
  let maxTimestamp = NO_TIMESTAMP;
  for (const record of records) if (record.timestamp > maxTimestamp) maxTimestamp = record.timestamp;
  return [baseTimestamp, maxTimestamp];
}

function compressionOf(value: CompressionType | undefined): CompressionType {
  const compression = value ?? 'none';
  if (!isCompressionType(compression)) throw badOption(`unknown compression ${String(compression)}`, 'compression');
  return compression;
}

function timestampTypeOf(value: TimestampType | undefined): TimestampType {
  const timestampType = value ?? 'CreateTime';
  if (timestampType !== 'CreateTime' && timestampType !== 'LogAppendTime') {
    throw badOption(`unknown timestamp type ${String(timestampType)}`, 'timestampType');
  }
  return timestampType;
}

export function resolveBatchSettings(records: RecordInput[], options: EncodeBatchOptions): BatchSettings {
  if (!Array.isArray(records)) throw invalidRecord('records must be an array');
  records.forEach(checkRecord);
  const offsetDeltas = offsetDeltasOf(records);
  const lastDelta = offsetDeltas.length === 0 ? 0 : (offsetDeltas[offsetDeltas.length - 1] as number);
  const lastOffsetDelta = intOption(options.lastOffsetDelta, lastDelta, 'lastOffsetDelta', lastDelta, INT32_MAX);
  const baseOffset = intOption(options.baseOffset, 0, 'baseOffset', 0, Number.MAX_SAFE_INTEGER - lastOffsetDelta);
  const timestampType = timestampTypeOf(options.timestampType);
  const [baseTimestamp, maxTimestamp] = timestampsOf(records, timestampType, options.logAppendTime);
  return {
    baseOffset,
    compression: compressionOf(options.compression),
    timestampType,
    producerId: intOption(options.producerId, NO_PRODUCER_ID, 'producerId', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    producerEpoch: intOption(options.producerEpoch, NO_PRODUCER_EPOCH, 'producerEpoch', INT16_MIN, INT16_MAX),
    baseSequence: intOption(options.baseSequence, NO_SEQUENCE, 'baseSequence', INT32_MIN, INT32_MAX),
    isTransactional: options.isTransactional ?? false,
    isControl: options.isControl ?? false,
    partitionLeaderEpoch: intOption(options.partitionLeaderEpoch, NO_PARTITION_LEADER_EPOCH, 'partitionLeaderEpoch', INT32_MIN, INT32_MAX),
    offsetDeltas,
    lastOffsetDelta,
    baseTimestamp,
    maxTimestamp,
  };
}
