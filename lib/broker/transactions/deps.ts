/** What the transaction operations use: the stores, caches, clock, randomness and faults. */
import { TopicStore } from '../../storage/topic-store.js';
import { GroupStore } from '../../storage/group-store.js';
import { TxnItems } from '../../storage/txn-items.js';
import { TxnListing } from '../../storage/txn-listing.js';
import { TxnStore } from '../../storage/txn-store.js';
import type { BrokerContext } from '../context.js';
import { TopicCache } from '../topic-cache.js';
import { createLogWriterDeps, type LogWriterDeps } from '../produce/log-writer-deps.js';
import { createProducerIds } from '../produce/producer-ids.js';
import type { InitProducerIdReply } from '../../protocol/log-replies.js';

export interface TxnDeps extends LogWriterDeps {
  readonly store: TxnStore;
  readonly items: TxnItems;
  readonly groups: GroupStore;
  /** Scans for transaction administration (list, describe producers). */
  readonly listing: TxnListing;
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
    listing: new TxnListing(ctx.dynamodb, ctx.tables.producers),
    ...createLogWriterDeps(ctx, shared.topics ?? new TopicCache(new TopicStore(ctx.dynamodb, ctx.tables.topics), ctx.now)),
    allocateProducerId: createProducerIds(ctx),
    opened: new Map(),
  };
}
