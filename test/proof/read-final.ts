/** Reads the final state of a topic with clients that inject no faults: heads, index items, every record. */
import { committedOffsetsOf } from '../../lib/client/admin-groups.js';
import { BatchIndex } from '../../lib/storage/batch-index.js';
import { PartitionHeads } from '../../lib/storage/partition-heads.js';
import { TopicStore } from '../../lib/storage/topic-store.js';
import { Kafkaless } from '../../lib/client/kafkaless.js';
import { retry } from '../../lib/retry.js';
import { cleanTransport, type Deployment } from './deployment.js';
import type { FinalPartition, FinalState, IndexRange } from './final-state.js';
import type { ReadRecord } from './history.js';

const MAX_EMPTY_POLLS = 50;
/**
 * Small fetches: each batch still in its own ingest object costs one ranged
 * GET, and a fetch issues them all at once, so a 1 MiB fetch of small
 * batches opens thousands of requests and the local S3 server resets some.
 */
const FETCH_BYTES = 32 * 1024;
const POLL_ATTEMPTS = 8;

/** Where the workload's transactions wrote, and the groups they committed offsets for (of `offsetsTopic`, partition 0). */
export interface TransactionalTargets {
  readonly topic: string;
  readonly groups: readonly string[];
  readonly offsetsTopic: string;
}

export async function readFinalState(d: Deployment, topic: string, transactional?: TransactionalTargets): Promise<FinalState> {
  const partitions = await readFinalPartitions(d, topic);
  if (transactional === undefined) return { partitions };
  return { partitions, transactional: { partitions: await readFinalPartitions(d, transactional.topic), committed: await readCommitted(d, transactional) } };
}

async function readCommitted(d: Deployment, t: TransactionalTargets): Promise<Record<string, number | null>> {
  const clean = cleanTransport(d);
  try {
    const admin = new Kafkaless({ transport: clean.transport }).admin();
    const committed: Record<string, number | null> = {};
    for (const groupId of t.groups) {
      const offsets = committedOffsetsOf(await admin.fetchOffsets({ groupId, topics: [t.offsetsTopic] }));
      committed[groupId] = offsets.find((o) => o.partition === 0 && o.offset >= 0)?.offset ?? null;
    }
    return committed;
  } finally {
    clean.close();
  }
}

async function readFinalPartitions(d: Deployment, topic: string): Promise<FinalPartition[]> {
  const clean = cleanTransport(d);
  try {
    const record = await new TopicStore(clean.clients.dynamodb, d.tables.topics).require(topic);
    const heads = new PartitionHeads(clean.clients.dynamodb, d.tables.partitions);
    const index = new BatchIndex(clean.clients.dynamodb, d.tables.batches);
    const consumer = new Kafkaless({ transport: clean.transport }).consumer({ 'auto.offset.reset': 'earliest', 'max.partition.fetch.bytes': FETCH_BYTES });
    const partitions: FinalPartition[] = [];
    for (let p = 0; p < record.partitions; p++) {
      const head = await heads.get(record.topicId, p);
      const ranges: IndexRange[] = [];
      for await (const e of index.scan(record.topicId, p, 0)) ranges.push({ baseOffset: e.baseOffset, lastOffset: e.lastOffset });
      consumer.assign([{ topic, partition: p }]);
      consumer.seek({ topic, partition: p, offset: head.logStartOffset });
      const records: ReadRecord[] = [];
      let empty = 0;
      let next = head.logStartOffset;
      while (next < head.highWatermark && empty < MAX_EMPTY_POLLS) {
        const polled = await retry(() => consumer.poll({ timeoutMs: 0 }), { maxAttempts: POLL_ATTEMPTS, initialDelayMs: 50 });
        if (polled.length === 0) empty++;
        for (const r of polled) {
          records.push({ offset: r.offset, value: r.value === null ? null : r.value.toString() });
          next = r.offset + 1;
        }
      }
      partitions.push({ partition: p, logStartOffset: head.logStartOffset, highWatermark: head.highWatermark, records, index: ranges });
    }
    return partitions;
  } finally {
    clean.close();
  }
}
