/** The produce function's append job: record batches appended outside any transaction. */
import type { ProduceReply } from '../../protocol/log-replies.js';
import type { ProduceRequest } from '../../protocol/log-requests.js';
import { AppendCommitter } from '../../storage/append-commit.js';
import { ObjectStore } from '../../storage/object-store.js';
import { PartitionHeads } from '../../storage/partition-heads.js';
import { ProducerStates } from '../../storage/producer-states.js';
import type { BrokerContext } from '../context.js';
import type { TopicCache } from '../topic-cache.js';
import { createIngestKeyFactory } from './ingest-key.js';
import { produce, type ProduceDeps } from './produce.js';

export type Append = (request: ProduceRequest) => Promise<ProduceReply>;

export function createProduceDeps(ctx: BrokerContext, topics: TopicCache): ProduceDeps {
  return {
    topics,
    heads: new PartitionHeads(ctx.dynamodb, ctx.tables.partitions),
    producers: new ProducerStates(ctx.dynamodb, ctx.tables.producers),
    committer: new AppendCommitter(ctx.dynamodb, {
      topics: ctx.tables.topics,
      partitions: ctx.tables.partitions,
      batches: ctx.tables.batches,
      producers: ctx.tables.producers,
      objects: ctx.tables.objects,
    }),
    objects: new ObjectStore(ctx.s3, ctx.bucket),
    ingestKey: createIngestKeyFactory(ctx.random),
    now: ctx.now,
    random: ctx.random,
    faults: ctx.faults,
    headCache: new Map(),
    producerCache: new Map(),
  };
}

export function createAppend(ctx: BrokerContext, topics: TopicCache): Append {
  const deps = createProduceDeps(ctx, topics);
  return (request) => produce(deps, request);
}
