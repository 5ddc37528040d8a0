/** The produce function's append job: record batches appended outside any transaction. */
import type { ProduceReply } from '../../protocol/log-replies.js';
import type { ProduceRequest } from '../../protocol/log-requests.js';
import { AppendCommitter } from '../../storage/append-commit.js';
import { ProducerStates } from '../../storage/producer-states.js';
import type { BrokerContext } from '../context.js';
import type { TopicCache } from '../topic-cache.js';
import { createLogWriterDeps } from './log-writer-deps.js';
import { produce, type ProduceDeps } from './produce.js';

export type Append = (request: ProduceRequest) => Promise<ProduceReply>;

export function createProduceDeps(ctx: BrokerContext, topics: TopicCache): ProduceDeps {
  return {
    ...createLogWriterDeps(ctx, topics),
    producers: new ProducerStates(ctx.dynamodb, ctx.tables.producers),
    committer: new AppendCommitter(ctx.dynamodb, {
      topics: ctx.tables.topics,
      partitions: ctx.tables.partitions,
      batches: ctx.tables.batches,
      producers: ctx.tables.producers,
      objects: ctx.tables.objects,
    }),
    headCache: new Map(),
    producerCache: new Map(),
  };
}

export function createAppend(ctx: BrokerContext, topics: TopicCache): Append {
  const deps = createProduceDeps(ctx, topics);
  return (request) => produce(deps, request);
}
