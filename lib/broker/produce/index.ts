/** The produce function: appends batches and hands out producer ids. */
import { produceFunctionRequest, type ProduceFunctionRequest } from '../../protocol/log-requests.js';
import { parseRequest } from '../../protocol/parse-request.js';
import type { Reply } from '../../protocol/reply.js';
import { AppendCommitter } from '../../storage/append-commit.js';
import { ObjectStore } from '../../storage/object-store.js';
import { PartitionHeads } from '../../storage/partition-heads.js';
import { ProducerStates } from '../../storage/producer-states.js';
import { TopicStore } from '../../storage/topic-store.js';
import type { BrokerContext } from '../context.js';
import { toReply, type Logger } from '../dispatch.js';
import { metadata } from '../metadata.js';
import { TopicCache } from '../topic-cache.js';
import { createIngestKeyFactory } from './ingest-key.js';
import { produce, type ProduceDeps } from './produce.js';
import { initProducerId } from './producer-ids.js';
import {
  createTxnDeps,
  describeProducers,
  describeTransactions,
  endTransaction,
  initTransactions,
  listTransactions,
  sendOffsets,
  stageBatches,
  type TxnDeps,
} from '../transactions/index.js';

export function createProduceDeps(ctx: BrokerContext): ProduceDeps {
  return {
    topics: new TopicCache(new TopicStore(ctx.dynamodb, ctx.tables.topics), ctx.now),
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

export type ProduceHandler = (event: unknown) => Promise<Reply<unknown>>;

export function createProduceHandler(ctx: BrokerContext, log?: Logger): ProduceHandler {
  const deps = createProduceDeps(ctx);
  let txnDeps: TxnDeps | undefined;
  const txn = (): TxnDeps => (txnDeps ??= createTxnDeps(ctx, { topics: deps.topics }));
  const run = (request: ProduceFunctionRequest) => {
    switch (request.action) {
      case 'produce':
        return request.transaction !== undefined ? stageBatches(txn(), request, request.transaction) : produce(deps, request);
      case 'initTransactions':
        return initTransactions(txn(), request);
      case 'sendOffsets':
        return sendOffsets(txn(), request);
      case 'endTransaction':
        return endTransaction(txn(), request);
      case 'initProducerId':
        return initProducerId(ctx.dynamodb, ctx.tables.producers);
      case 'metadata':
        return metadata(deps.topics, request.topics);
      case 'listTransactions':
        return listTransactions(txn(), request);
      case 'describeTransactions':
        return describeTransactions(txn(), request);
      case 'describeProducers':
        return describeProducers(txn(), request);
    }
  };
  return (event) => toReply(async () => run(parseRequest(produceFunctionRequest, event, 'produce')), log);
}
