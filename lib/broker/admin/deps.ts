import { PartitionHeads } from '../../storage/partition-heads.js';
import { LogStartMover } from '../../storage/log-start-offset.js';
import { TopicStore } from '../../storage/topic-store.js';
import type { BrokerContext } from '../context.js';
import { clusterIdFor } from './describe-cluster.js';

/** What admin operations use: the stores and the clock. */
export interface AdminDeps {
  readonly topics: TopicStore;
  readonly heads: PartitionHeads;
  readonly logStarts: LogStartMover;
  readonly now: () => number;
  /** Uniform in [0, 1), for retry jitter. */
  readonly random: () => number;
  /** Derived from the topic table's name: stable per stack. */
  readonly clusterId: string;
}

export function createAdminDeps(ctx: BrokerContext): AdminDeps {
  return {
    topics: new TopicStore(ctx.dynamodb, ctx.tables.topics),
    heads: new PartitionHeads(ctx.dynamodb, ctx.tables.partitions),
    logStarts: new LogStartMover(ctx.dynamodb, ctx.tables.partitions, ctx.random),
    now: ctx.now,
    random: ctx.random,
    clusterId: clusterIdFor(ctx.tables.topics),
  };
}
