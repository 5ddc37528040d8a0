/** What the transaction operations use: the stores, caches, clock, randomness and faults. */
import type { FaultInjector } from '../../faults.js';
import { ObjectStore } from '../../storage/object-store.js';
import { PartitionHeads } from '../../storage/partition-heads.js';
import { TopicStore } from '../../storage/topic-store.js';
import { GroupStore } from '../../storage/group-store.js';
import { TxnItems } from '../../storage/txn-items.js';
import { TxnStore } from '../../storage/txn-store.js';
import type { BrokerContext } from '../context.js';
import { TopicCache } from '../topic-cache.js';
import { createIngestKeyFactory } from '../produce/ingest-key.js';
import { createProducerIds } from '../produce/producer-ids.js';
import type { InitProducerIdReply } from '../../protocol/log-replies.js';

export interface TxnDeps {
  readonly store: TxnStore;
  readonly items: TxnItems;
  readonly groups: GroupStore;
  readonly topics: TopicCache;
  readonly heads: PartitionHeads;
  readonly objects: ObjectStore;
  readonly ingestKey: (nowMs: number) => string;
  readonly now: () => number;
  readonly random: () => number;
  readonly faults: FaultInjector;
  /** A new producer id from the shared counter. */
  readonly allocateProducerId: () => Promise<InitProducerIdReply>;
  /** Transactions this instance staged into, by transactional id: the number it last opened (its open marker is written). */
  readonly opened: Map<string, number>;
}

export function createTxnDeps(ctx: BrokerContext, shared: { topics?: TopicCache } = {}): TxnDeps {
  const tables = {
    topics: ctx.tables.topics,
    partitions: ctx.tables.partitions,
    batches: ctx.tables.batches,
    objects: ctx.tables.objects,
    producers: ctx.tables.producers,
    groups: ctx.tables.groups,
  };
  return {
    store: new TxnStore(ctx.dynamodb, tables),
    items: new TxnItems(tables),
    groups: new GroupStore(ctx.dynamodb, ctx.tables.groups),
    topics: shared.topics ?? new TopicCache(new TopicStore(ctx.dynamodb, ctx.tables.topics), ctx.now),
    heads: new PartitionHeads(ctx.dynamodb, ctx.tables.partitions),
    objects: new ObjectStore(ctx.s3, ctx.bucket),
    ingestKey: createIngestKeyFactory(ctx.random),
    now: ctx.now,
    random: ctx.random,
    faults: ctx.faults,
    allocateProducerId: createProducerIds(ctx),
    opened: new Map(),
  };
}
