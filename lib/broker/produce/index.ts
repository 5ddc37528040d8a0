/**
 * The produce function. It only routes: each action goes to one of its four
 * jobs, each its own module — appends (./append.ts), producer ids
 * (./producer-ids.ts), the transaction coordinator
 * (../transactions/coordinator.ts) and the offset writes of transactions
 * (../transactions/offset-writes.ts) — or to the metadata a producer asks for.
 */
import { produceFunctionRequest, type ProduceFunctionRequest } from '../../protocol/log-requests.js';
import { parseRequest } from '../../protocol/parse-request.js';
import type { Reply } from '../../protocol/reply.js';
import { TopicStore } from '../../storage/topic-store.js';
import type { BrokerContext } from '../context.js';
import { toReply, type Logger } from '../dispatch.js';
import { metadata } from '../metadata.js';
import { TopicCache } from '../topic-cache.js';
import { createTransactionCoordinator } from '../transactions/coordinator.js';
import { createTxnDeps, type TxnDeps } from '../transactions/deps.js';
import { createOffsetWrites } from '../transactions/offset-writes.js';
import { createAppend } from './append.js';
import type { AggregationOptions } from './produce-aggregator.js';
import { createProducerIds } from './producer-ids.js';

export type ProduceHandler = (event: unknown) => Promise<Reply<unknown>>;

export function createProduceHandler(ctx: BrokerContext, log?: Logger, aggregation?: AggregationOptions): ProduceHandler {
  const topics = new TopicCache(new TopicStore(ctx.dynamodb, ctx.tables.topics), ctx.now);
  // Built on the first transactional request; the coordinator and the offset writes share it.
  let txnDeps: TxnDeps | undefined;
  const txn = (): TxnDeps => (txnDeps ??= createTxnDeps(ctx, { topics }));
  const append = createAppend(ctx, topics, aggregation);
  const producerIds = createProducerIds(ctx);
  const coordinator = createTransactionCoordinator(txn);
  const offsetWrites = createOffsetWrites(txn);
  const run = (request: ProduceFunctionRequest) => {
    switch (request.action) {
      case 'produce':
        return request.transaction !== undefined ? coordinator.stageBatches(request, request.transaction) : append(request);
      case 'initTransactions':
        return coordinator.initTransactions(request);
      case 'sendOffsets':
        return offsetWrites(request);
      case 'endTransaction':
        return coordinator.endTransaction(request);
      case 'currentTransaction':
        return coordinator.currentTransaction(request);
      case 'beginTransaction':
        return coordinator.beginTransaction(request);
      case 'initProducerId':
        return producerIds();
      case 'metadata':
        return metadata(topics, request.topics);
      case 'listTransactions':
        return coordinator.listTransactions(request);
      case 'describeTransactions':
        return coordinator.describeTransactions(request);
      case 'describeProducers':
        return coordinator.describeProducers(request);
    }
  };
  return (event) => toReply(async () => run(parseRequest(produceFunctionRequest, event, 'produce')), log);
}
