/**
 * Hands fetched records to the user's eachMessage or eachBatch, one
 * partition after another or several at once (partitionsConsumedConcurrently),
 * in offset order within a partition. Only what a callback finished
 * (eachMessage) or resolved (eachBatch) is marked processed; whatever was
 * fetched but not handed over (stop, pause, a revoked partition, a callback
 * that threw) is rewound so it is fetched again, and never marked.
 */
import { KafkalessError } from '../../errors.js';
import type { ConsumerInstrumentation } from './consumer-events.js';
import { CallbackError } from './consume-loop.js';
import { toKafkaMessage, tpKey, type Batch, type ConsumerRecord, type OffsetsByTopicPartition, type RunOptions, type TopicPartition } from './records.js';

/** What delivery needs of the consumer it serves. */
export interface DeliveryTarget {
  readonly instrumentation: ConsumerInstrumentation;
  /** Whether this partition is still held (for a group: assigned, and the session alive). */
  holds(tp: TopicPartition): boolean;
  isPaused(tp: TopicPartition): boolean;
  /** Whether the loop is still running. */
  isRunning(): boolean;
  /** `nextOffset` is the offset after the last record processed. */
  markProcessed(tp: TopicPartition, nextOffset: number): void;
  /** Fetches this partition again from `offset`, if still held. */
  rewind(tp: TopicPartition, offset: number): void;
  pause(tp: TopicPartition): void;
  resume(tp: TopicPartition): void;
  highWatermark(tp: TopicPartition): number | undefined;
  commitOffsetsIfNecessary(offsets?: OffsetsByTopicPartition): Promise<void>;
  uncommittedOffsets(): OffsetsByTopicPartition;
  /** Counts seeks, so a batch can tell that its partition was sought elsewhere. */
  seekCount(tp: TopicPartition): number;
}

export function validateRunOptions(options: RunOptions): void {
  if (options.eachMessage === undefined && options.eachBatch === undefined) {
    throw new KafkalessError('InvalidRequest', 'run needs eachMessage or eachBatch');
  }
  const concurrency = options.partitionsConsumedConcurrently ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new KafkalessError('InvalidConfig', `Invalid value ${concurrency} for partitionsConsumedConcurrently: a whole number >= 1`);
  }
}

/** Delivers `records`; throws a CallbackError (after rewinding) if a callback threw. */
export async function deliver(records: readonly ConsumerRecord[], options: RunOptions, target: DeliveryTarget): Promise<void> {
  const byPartition = new Map<string, ConsumerRecord[]>();
  for (const r of records) {
    const list = byPartition.get(tpKey(r));
    if (list === undefined) byPartition.set(tpKey(r), [r]);
    else list.push(r);
  }
  const batches = [...byPartition.values()];
  const errors: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      try {
        if (options.eachBatch !== undefined) await deliverBatch(batch, options, target);
        else await deliverMessages(batch, options, target);
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.partitionsConsumedConcurrently ?? 1, batches.length) }, worker));
  if (errors.length > 0) throw errors[0];
}

async function deliverMessages(records: readonly ConsumerRecord[], options: RunOptions, target: DeliveryTarget): Promise<void> {
  const tp = { topic: records[0]!.topic, partition: records[0]!.partition };
  for (const r of records) {
    if (!target.isRunning() || !target.holds(tp) || target.isPaused(tp)) return target.rewind(tp, r.offset);
    try {
      await options.eachMessage!({ topic: r.topic, partition: r.partition, message: toKafkaMessage(r), heartbeat: async () => undefined, pause: () => pauser(target, tp) });
    } catch (err) {
      target.rewind(tp, r.offset);
      throw new CallbackError(err);
    }
    target.markProcessed(tp, r.offset + 1);
  }
}

async function deliverBatch(records: readonly ConsumerRecord[], options: RunOptions, target: DeliveryTarget): Promise<void> {
  const first = records[0]!;
  const tp = { topic: first.topic, partition: first.partition };
  if (!target.isRunning() || !target.holds(tp) || target.isPaused(tp)) return target.rewind(tp, first.offset);
  const seeks = target.seekCount(tp);
  let resolvedNext = first.offset;
  let paused = false;
  const batch = describeBatch(records, target.highWatermark(tp));
  const stale = () => !target.holds(tp) || target.seekCount(tp) !== seeks;
  const started = Date.now();
  const processInfo = { topic: tp.topic, partition: tp.partition, highWatermark: batch.highWatermark, offsetLag: batch.offsetLag(), offsetLagLow: batch.offsetLagLow(), batchSize: records.length, firstOffset: batch.firstOffset(), lastOffset: batch.lastOffset() };
  target.instrumentation.emit('consumer.start_batch_process', processInfo);
  try {
    await options.eachBatch!({
      batch,
      resolveOffset: (offset) => {
        const nextOffset = Number(offset) + 1;
        if (stale() || nextOffset <= resolvedNext) return;
        resolvedNext = nextOffset;
        target.markProcessed(tp, nextOffset);
      },
      heartbeat: async () => undefined,
      pause: () => {
        paused = true;
        return pauser(target, tp);
      },
      commitOffsetsIfNecessary: (offsets) => target.commitOffsetsIfNecessary(offsets),
      uncommittedOffsets: () => target.uncommittedOffsets(),
      isRunning: () => target.isRunning(),
      isStale: stale,
    });
  } catch (err) {
    if (!stale()) target.rewind(tp, resolvedNext);
    throw new CallbackError(err);
  }
  target.instrumentation.emit('consumer.end_batch_process', { ...processInfo, duration: Date.now() - started });
  if (stale()) return;
  const last = records[records.length - 1]!.offset + 1;
  // A batch paused from inside counts only what it resolved: the rest is fetched again after resume.
  if ((options.eachBatchAutoResolve ?? true) && !paused) target.markProcessed(tp, last);
  else if (resolvedNext < last) target.rewind(tp, resolvedNext);
}

function pauser(target: DeliveryTarget, tp: TopicPartition): () => void {
  target.pause(tp);
  return () => target.resume(tp);
}

function describeBatch(records: readonly ConsumerRecord[], highWatermark: number | undefined): Batch {
  const hw = highWatermark ?? records[records.length - 1]!.offset + 1;
  const firstOffset = records[0]!.offset;
  const lastOffset = records[records.length - 1]!.offset;
  return {
    topic: records[0]!.topic,
    partition: records[0]!.partition,
    highWatermark: String(hw),
    messages: records.map(toKafkaMessage),
    isEmpty: () => records.length === 0,
    firstOffset: () => String(firstOffset),
    lastOffset: () => String(lastOffset),
    offsetLag: () => String(Math.max(0, hw - 1 - lastOffset)),
    offsetLagLow: () => String(Math.max(0, hw - 1 - firstOffset)),
  };
}
