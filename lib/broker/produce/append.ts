/** The produce function's append job: record batches appended outside any transaction. */
import type { ProduceReply } from '../../protocol/log-replies.js';
import type { ProduceRequest } from '../../protocol/log-requests.js';
import { AppendCommitter } from '../../storage/append-commit.js';
import { ProducerStates } from '../../storage/producer-states.js';
import type { BrokerContext } from '../context.js';
import type { TopicCache } from '../topic-cache.js';
import { createLogWriterDeps } from './log-writer-deps.js';
import { produce, produceMany, type ProduceDeps } from './produce.js';
import { ProduceAggregator, type AggregationOptions } from './produce-aggregator.js';

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

/** Appends one request at a time, or, with aggregation, the requests of each linger window together. */
export function createAppend(ctx: BrokerContext, topics: TopicCache, aggregation?: AggregationOptions): Append {
  const deps = createProduceDeps(ctx, topics);
  if (aggregation === undefined) return (request) => produce(deps, request);
  const aggregator = new ProduceAggregator((requests) => produceMany(deps, requests), aggregation);
  return (request) => aggregator.submit(request);
}
