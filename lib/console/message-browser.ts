/**
 * A window of a topic's records for the messages view, read with the
 * client's own plain Consumer: assign the partitions, seek each to where
 * the view starts (an offset, a time, the earliest record or the latest
 * `limit`), poll up to the high watermarks seen when the window was asked,
 * keep the records that pass the filters.
 */
import { KafkalessError } from '../errors.js';
import type { Kafkaless } from '../client/kafkaless.js';
import type { ConsumerRecord, TopicPartition } from '../client/consumer/records.js';
import { DEFAULT_DISPLAY_LIMIT, matchesFilter, recordView, type RecordFilter, type RecordView } from './record-view.js';

export const MAX_WINDOW = 500;
/** Records read at most per window when filters are given (matches may be sparse). */
export const MAX_SCAN = 10_000;

/** Where a window starts: one offset for every partition, per partition (a live tail's next offsets; log start for others), a time, or an end. */
export type WindowStart =
  | { readonly offset: number }
  | { readonly offsets: ReadonlyMap<number, number> }
  | { readonly timestamp: number }
  | { readonly from: 'earliest' | 'latest' };

export interface BrowseOptions {
  readonly topic: string;
  /** One partition, or all of them. */
  readonly partition?: number;
  readonly start: WindowStart;
  readonly limit: number;
  readonly filter?: RecordFilter;
  /** Characters of display per payload (Infinity: whole). */
  readonly displayLimit?: number;
}

export interface PartitionWindow {
  readonly partition: number;
  readonly logStartOffset: number;
  readonly highWatermark: number;
  /** Where the window started in this partition. */
  readonly from: number;
  /** The offset after the last record read: where the next window starts. */
  readonly next: number;
}

export interface BrowseResult {
  readonly topic: string;
  readonly partitions: readonly PartitionWindow[];
  readonly records: readonly RecordView[];
  /** Records read (before the filters). */
  readonly scanned: number;
}

export async function browseMessages(kafkaless: Kafkaless, options: BrowseOptions): Promise<BrowseResult> {
  const [described] = await kafkaless.admin().describeTopics({ topics: [options.topic] });
  const all = described!.partitions;
  const chosen = options.partition === undefined ? all : all.filter((p) => p.partition === options.partition);
  if (chosen.length === 0) {
    throw new KafkalessError('UnknownTopicOrPartition', `Topic '${options.topic}' has ${all.length} partition(s); partition ${String(options.partition)} does not exist`, {
      context: { topic: options.topic, ...(options.partition !== undefined ? { partition: options.partition } : {}) },
    });
  }
  const limit = Math.max(1, Math.min(options.limit, MAX_WINDOW));
  const consumer = kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
  try {
    const tps: TopicPartition[] = chosen.map((p) => ({ topic: options.topic, partition: p.partition }));
    consumer.assign(tps);
    const starts = await startOffsets(consumer, options, chosen, limit);
    const next = new Map<number, number>();
    for (const p of chosen) {
      const from = starts.get(p.partition)!;
      next.set(p.partition, from);
      consumer.seek({ topic: options.topic, partition: p.partition, offset: from });
    }
    const { records, scanned } = await readWindow(consumer, options, chosen, next, limit);
    return {
      topic: options.topic,
      partitions: chosen.map((p) => ({ partition: p.partition, logStartOffset: p.logStartOffset, highWatermark: p.highWatermark, from: starts.get(p.partition)!, next: next.get(p.partition)! })),
      records: records.map((r) => recordView(r, options.displayLimit ?? DEFAULT_DISPLAY_LIMIT)),
      scanned,
    };
  } finally {
    await consumer.disconnect();
  }
}

type Partition = { readonly partition: number; readonly logStartOffset: number; readonly highWatermark: number };
type PlainConsumer = ReturnType<Kafkaless['consumer']>;

async function startOffsets(consumer: PlainConsumer, options: BrowseOptions, chosen: readonly Partition[], limit: number): Promise<Map<number, number>> {
  const clamp = (p: Partition, offset: number) => Math.min(Math.max(offset, p.logStartOffset), p.highWatermark);
  const start = options.start;
  if ('offset' in start) return new Map(chosen.map((p) => [p.partition, clamp(p, start.offset)]));
  if ('offsets' in start) return new Map(chosen.map((p) => [p.partition, clamp(p, start.offsets.get(p.partition) ?? p.logStartOffset)]));
  if ('timestamp' in start) {
    const found = await consumer.offsetsForTimes(chosen.map((p) => ({ topic: options.topic, partition: p.partition, timestamp: start.timestamp })));
    return new Map(chosen.map((p) => [p.partition, clamp(p, found.find((f) => f.partition === p.partition)?.offset ?? p.highWatermark)]));
  }
  if (start.from === 'latest') return new Map(chosen.map((p) => [p.partition, clamp(p, p.highWatermark - limit)]));
  return new Map(chosen.map((p) => [p.partition, p.logStartOffset]));
}

async function readWindow(
  consumer: PlainConsumer,
  options: BrowseOptions,
  chosen: readonly Partition[],
  next: Map<number, number>,
  limit: number,
): Promise<{ records: ConsumerRecord[]; scanned: number }> {
  const filter = options.filter ?? {};
  const filtered = filter.key !== undefined || filter.value !== undefined || filter.header !== undefined;
  const scanLimit = filtered ? MAX_SCAN : limit;
  const end = new Map(chosen.map((p) => [p.partition, p.highWatermark]));
  const done = (partition: number) => next.get(partition)! >= end.get(partition)!;
  const pauseDone = () => consumer.pause(chosen.filter((p) => done(p.partition)).map((p) => ({ topic: options.topic, partition: p.partition })));
  const records: ConsumerRecord[] = [];
  let scanned = 0;
  let empty = 0;
  pauseDone();
  while (records.length < limit && scanned < scanLimit && chosen.some((p) => !done(p.partition)) && empty < 3) {
    const polled = await consumer.poll({ timeoutMs: 100, maxRecords: scanLimit - scanned });
    empty = polled.length === 0 ? empty + 1 : 0;
    for (const record of polled) {
      if (done(record.partition) || records.length >= limit) continue;
      scanned++;
      next.set(record.partition, record.offset + 1);
      if (matchesFilter(record, filter)) records.push(record);
    }
    pauseDone();
  }
  records.sort((a, b) => (chosen.length === 1 ? a.offset - b.offset : a.timestamp - b.timestamp || a.partition - b.partition || a.offset - b.offset));
  return { records, scanned };
}
