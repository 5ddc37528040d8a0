/**
 * Checks one produced batch before anything is written: it decodes (CRC
 * included), is a plain data batch with offset deltas 0..n-1, fits the
 * topic's max.message.bytes, has sane timestamps and consistent producer
 * fields. Returns the batch as it will be stored (recompressed or stamped
 * when the topic's config asks for it).
 */
import { KafkalessError, type ErrorContext } from '../../errors.js';
import { decodeRecordBatches, encodeRecordBatch, RECORD_BATCH_OVERHEAD, type CompressionType, type DecodedBatch } from '../../log/index.js';
import type { TopicConfig } from '../../protocol/topic-config.js';

export interface ValidatedBatch {
  readonly bytes: Buffer;
  readonly header: DecodedBatch;
  /** Offsets the batch takes: lastOffsetDelta + 1. */
  readonly offsetCount: number;
  readonly firstTimestamp: number;
  readonly maxTimestamp: number;
}

function invalid(code: 'InvalidRecord' | 'CorruptRecord' | 'InvalidTimestamp' | 'RecordTooLarge' | 'InvalidTxnState' | 'InvalidRequest', message: string, context: ErrorContext): KafkalessError {
  return new KafkalessError(code, message, { context });
}

/** Where a batch header keeps its record count. */
const RECORD_COUNT_POSITION = RECORD_BATCH_OVERHEAD - 4;

function tooLarge(bytes: Buffer, config: TopicConfig, context: { topic: string; partition: number }): KafkalessError {
  const records = bytes.length >= RECORD_BATCH_OVERHEAD ? bytes.readInt32BE(RECORD_COUNT_POSITION) : 0;
  const limit = `topic '${context.topic}''s max.message.bytes (${config.maxMessageBytes})`;
  const message =
    records === 1
      ? `The record is ${bytes.length} bytes as a batch, larger than ${limit}. Send a smaller record (or compress it), or raise the topic's max.message.bytes.`
      : `The batch of ${records} records is ${bytes.length} bytes, larger than ${limit}. Send smaller batches (batch.size), or raise the topic's max.message.bytes.`;
  return invalid('RecordTooLarge', message, context);
}

export async function validateBatch(
  bytes: Buffer,
  config: TopicConfig,
  context: { topic: string; partition: number },
  nowMs: number,
  inTransaction = false,
): Promise<ValidatedBatch> {
  if (bytes.length > config.maxMessageBytes) throw tooLarge(bytes, config, context);
  const batches = await decodeRecordBatches(bytes);
  if (batches.length !== 1) {
    throw invalid('InvalidRecord', `Each entry must hold exactly one record batch (got ${batches.length})`, context);
  }
  const batch = batches[0]!;
  checkShape(batch, context);
  if (config.cleanupPolicy.includes('compact') && batch.records.some((r) => r.key === null)) {
    throw invalid('InvalidRecord', "A compacted topic (cleanup.policy includes 'compact') refuses records without a key: compaction keeps the last record per key.", context);
  }
  checkProducerFields(batch, context, inTransaction);
  checkTimestamps(batch, config, context, nowMs);
  const stored = await conform(bytes, batch, config, nowMs);
  return {
    bytes: stored.bytes,
    header: stored.batch,
    offsetCount: batch.lastOffsetDelta + 1,
    firstTimestamp: stored.batch.records[0]?.timestamp ?? stored.batch.baseTimestamp,
    maxTimestamp: stored.batch.maxTimestamp,
  };
}

function checkShape(batch: DecodedBatch, context: ErrorContext): void {
  if (batch.isControl) throw invalid('InvalidRecord', 'Producers may not write control batches', context);
  if (batch.records.length === 0) throw invalid('InvalidRecord', 'A batch must hold at least one record', context);
  batch.records.forEach((r, i) => {
    if (r.offsetDelta !== i) {
      throw invalid('InvalidRecord', `Record ${i} has offset delta ${r.offsetDelta}; a produced batch's deltas must be 0, 1, 2, …`, context);
    }
  });
  if (batch.lastOffsetDelta !== batch.records.length - 1) {
    throw invalid('InvalidRecord', `lastOffsetDelta is ${batch.lastOffsetDelta} for ${batch.records.length} records`, context);
  }
}

function checkProducerFields(batch: DecodedBatch, context: ErrorContext, inTransaction: boolean): void {
  if (batch.isTransactional && !inTransaction) {
    throw invalid('InvalidTxnState', 'Transactional batches must be sent within a transaction (beginTransaction first)', context);
  }
  if (inTransaction && (!batch.isTransactional || batch.producerId < 0)) {
    throw invalid('InvalidTxnState', 'A batch sent within a transaction must be transactional, with the transaction\'s producer id', context);
  }
  if (batch.producerId >= 0 && (batch.producerEpoch < 0 || batch.baseSequence < 0)) {
    throw invalid('InvalidRecord', 'An idempotent batch needs a producer epoch and base sequence (both ≥ 0)', context);
  }
}

/** CreateTime timestamps within [now - message.timestamp.before.max.ms, now + message.timestamp.after.max.ms]. */
function checkTimestamps(batch: DecodedBatch, config: TopicConfig, context: ErrorContext, nowMs: number): void {
  if (batch.timestampType !== 'CreateTime' || config.messageTimestampType === 'LogAppendTime') return;
  for (const r of batch.records) {
    if (r.timestamp < 0) throw invalid('InvalidTimestamp', `Record timestamp ${r.timestamp} is negative`, context);
    if (r.timestamp - nowMs > config.messageTimestampAfterMaxMs) {
      throw invalid('InvalidTimestamp', `Record timestamp ${r.timestamp} is more than ${config.messageTimestampAfterMaxMs} ms (the topic's message.timestamp.after.max.ms) ahead of the broker's clock (${nowMs})`, context);
    }
    if (nowMs - r.timestamp > config.messageTimestampBeforeMaxMs) {
      throw invalid('InvalidTimestamp', `Record timestamp ${r.timestamp} is more than ${config.messageTimestampBeforeMaxMs} ms (the topic's message.timestamp.before.max.ms) behind the broker's clock (${nowMs})`, context);
    }
  }
}

/** Rewrites the batch when the topic stamps LogAppendTime or imposes a codec; else keeps the bytes as sent. */
async function conform(bytes: Buffer, batch: DecodedBatch, config: TopicConfig, nowMs: number): Promise<{ bytes: Buffer; batch: DecodedBatch }> {
  const wanted: CompressionType =
    config.compressionType === 'producer' ? batch.compression : config.compressionType === 'uncompressed' ? 'none' : config.compressionType;
  const stamp = config.messageTimestampType === 'LogAppendTime';
  if (!stamp && wanted === batch.compression) return { bytes, batch };
  const rewritten = await encodeRecordBatch(
    batch.records.map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp })),
    {
      compression: wanted,
      timestampType: stamp ? 'LogAppendTime' : 'CreateTime',
      ...(stamp ? { logAppendTime: nowMs } : {}),
      producerId: batch.producerId,
      producerEpoch: batch.producerEpoch,
      baseSequence: batch.baseSequence,
      isTransactional: batch.isTransactional,
    },
  );
  const [decoded] = await decodeRecordBatches(rewritten);
  return { bytes: rewritten, batch: decoded! };
}
