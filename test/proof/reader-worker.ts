/**
 * A reader in a workload: alternates between a consumer's polls (assign,
 * seek, poll, as an application reads) and raw fetches at random offsets
 * (which also report the high watermark), each recorded in the history.
 */
import type { Kafkaless } from '../../lib/client/kafkaless.js';
import type { Consumer } from '../../lib/client/consumer/consumer.js';
import { call } from '../../lib/client/transport.js';
import { decodeRecordBatches } from '../../lib/log/index.js';
import type { FetchReply } from '../../lib/protocol/log-replies.js';
import type { ReadRecord } from './history.js';
import { withDeadline } from './watchdog.js';
import type { WorkerBase } from './worker.js';

export interface ReaderWorkerOptions extends WorkerBase {
  readonly name: string;
  readonly kafkaless: Kafkaless;
  readonly topic: string;
  readonly partitions: number;
  /** Reads take at most this share of the tickets handed out so far (all readers together). */
  readonly readShare: number;
  /** Reads so far by all readers, counted together. */
  readonly reads: { count: number };
  /** The highest offset known acknowledged + 1, per partition (where raw fetches aim). */
  readonly knownEnd: (partition: number) => number;
}

const SEEK_CHANCE = 0.05;
/**
 * Small fetches: every produce commit is its own ingest object until the
 * segment roller rolls them up, so a fetch of n small batches makes n
 * ranged GETs, and one failed GET fails the whole fetch.
 */
const RAW_FETCH_BYTES = 1024;
const CONSUMER_PARTITION_BYTES = 1024;

export async function runReader(o: ReaderWorkerOptions): Promise<void> {
  const consumer = o.kafkaless.consumer({ 'auto.offset.reset': 'earliest', 'max.poll.records': 200, 'max.partition.fetch.bytes': CONSUMER_PARTITION_BYTES });
  const all = Array.from({ length: o.partitions }, (_, partition) => ({ topic: o.topic, partition }));
  consumer.assign(all);
  const expected = new Map<number, number>();
  while (await o.budget.takeWithin(o.reads, o.readShare)) {
    try {
      const raw = o.random() < 0.5;
      const read = raw ? rawFetch(o) : consumerPoll(o, consumer, expected);
      await withDeadline(read, o.stallMs, () => `${o.name}'s ${raw ? 'fetch' : 'poll'}`, o.onStall);
    } catch {
      // A failed read tells nothing; faults make many.
    }
    o.budget.complete();
  }
}

async function consumerPoll(o: ReaderWorkerOptions, consumer: Consumer, expected: Map<number, number>): Promise<void> {
  if (o.random() < SEEK_CHANCE) {
    const partition = Math.floor(o.random() * o.partitions);
    const offset = Math.floor(o.random() * (o.knownEnd(partition) + 1));
    consumer.seek({ topic: o.topic, partition, offset });
    expected.set(partition, offset);
  }
  const invokedMs = o.history.nowMs();
  const polled = await consumer.poll({ timeoutMs: 0 });
  const completedMs = o.history.nowMs();
  const byPartition = new Map<number, ReadRecord[]>();
  for (const r of polled) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), { offset: r.offset, value: r.value === null ? null : r.value.toString() }]);
  for (const [partition, records] of byPartition) {
    const fromOffset = expected.get(partition) ?? 0;
    o.history.add({ kind: 'read', reader: `${o.name} consumer`, partition, fromOffset, invokedMs, completedMs, records });
    expected.set(partition, records[records.length - 1]!.offset + 1);
  }
}

async function rawFetch(o: ReaderWorkerOptions): Promise<void> {
  const partition = Math.floor(o.random() * o.partitions);
  const offset = Math.floor(o.random() * (o.knownEnd(partition) + 1));
  const invokedMs = o.history.nowMs();
  const reply = await call<FetchReply>(o.kafkaless.transport, 'fetch', {
    action: 'fetch',
    partitions: [{ topic: o.topic, partition, offset, maxBytes: RAW_FETCH_BYTES }],
  });
  const completedMs = o.history.nowMs();
  const p = reply.partitions[0]!;
  if (p.error !== undefined && p.error.code !== 'OffsetOutOfRange') return;
  const records: ReadRecord[] = [];
  if (p.error === undefined && p.records !== '') {
    for (const batch of await decodeRecordBatches(Buffer.from(p.records, 'base64'))) {
      for (const r of batch.records) if (r.offset >= offset) records.push({ offset: r.offset, value: r.value === null ? null : r.value.toString() });
    }
  }
  o.history.add({ kind: 'read', reader: `${o.name} fetch`, partition, fromOffset: offset, invokedMs, completedMs, records, highWatermark: p.highWatermark });
}
