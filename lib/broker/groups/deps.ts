/** What the group operations use: the stores, the topics view, the clock, randomness and faults. */
import type { FaultInjector } from '../../faults.js';
import { BatchIndex } from '../../storage/batch-index.js';
import { GroupStore } from '../../storage/group-store.js';
import { ObjectStore } from '../../storage/object-store.js';
import { PartitionHeads } from '../../storage/partition-heads.js';
import { TopicStore } from '../../storage/topic-store.js';
import type { BrokerContext } from '../context.js';
import type { ListOffsetsDeps } from '../fetch/list-offsets.js';
import { TopicCache } from '../topic-cache.js';
import { GroupTopics } from './topics-view.js';

export interface GroupDeps {
  readonly store: GroupStore;
  readonly topics: GroupTopics;
  readonly topicStore: TopicStore;
  readonly heads: PartitionHeads;
  readonly now: () => number;
  readonly random: () => number;
  readonly faults: FaultInjector;
  /** What finding an offset by timestamp needs (the batch index and the log); built on first use. */
  readonly offsetsByTime: () => ListOffsetsDeps;
}

export interface GroupDepsOptions {
  /** How long the live topic list is trusted (default 1 s). */
  readonly topicMetadataTtlMs?: number;
}

export function createGroupDeps(ctx: BrokerContext, options: GroupDepsOptions = {}): GroupDeps {
  const topicStore = new TopicStore(ctx.dynamodb, ctx.tables.topics);
  const heads = new PartitionHeads(ctx.dynamodb, ctx.tables.partitions);
  let byTime: ListOffsetsDeps | undefined;
  return {
    store: new GroupStore(ctx.dynamodb, ctx.tables.groups),
    topics: new GroupTopics(topicStore, ctx.now, options.topicMetadataTtlMs),
    topicStore,
    heads,
    now: ctx.now,
    random: ctx.random,
    faults: ctx.faults,
    offsetsByTime: () =>
      (byTime ??= {
        topics: new TopicCache(topicStore, ctx.now),
        heads,
        index: new BatchIndex(ctx.dynamodb, ctx.tables.batches),
        objects: new ObjectStore(ctx.s3, ctx.bucket),
      }),
  };
}
