/**
 * What appends and transactions both write the log with: the topics, the
 * partition heads, the bucket and its ingest keys, the clock, randomness and
 * faults.
 */
import type { FaultInjector } from '../../faults.js';
import { ObjectStore } from '../../storage/object-store.js';
import { PartitionHeads } from '../../storage/partition-heads.js';
import type { BrokerContext } from '../context.js';
import type { TopicCache } from '../topic-cache.js';
import { createIngestKeyFactory } from './ingest-key.js';

export interface LogWriterDeps {
  readonly topics: TopicCache;
  readonly heads: PartitionHeads;
  readonly objects: ObjectStore;
  readonly ingestKey: (nowMs: number) => string;
  readonly now: () => number;
  readonly random: () => number;
  readonly faults: FaultInjector;
}

export function createLogWriterDeps(ctx: BrokerContext, topics: TopicCache): LogWriterDeps {
  return {
    topics,
    heads: new PartitionHeads(ctx.dynamodb, ctx.tables.partitions),
    objects: new ObjectStore(ctx.s3, ctx.bucket),
    ingestKey: createIngestKeyFactory(ctx.random),
    now: ctx.now,
    random: ctx.random,
    faults: ctx.faults,
  };
}
