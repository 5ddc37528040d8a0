/** The fetch function: reads batches and lists offsets. */
import { fetchFunctionRequest, type FetchFunctionRequest } from '../../protocol/log-requests.js';
import { parseRequest } from '../../protocol/parse-request.js';
import type { Reply } from '../../protocol/reply.js';
import { BatchIndex } from '../../storage/batch-index.js';
import { ObjectStore } from '../../storage/object-store.js';
import { PartitionHeads } from '../../storage/partition-heads.js';
import { TopicStore } from '../../storage/topic-store.js';
import type { BrokerContext } from '../context.js';
import { toReply, type Logger } from '../dispatch.js';
import { metadata } from '../metadata.js';
import { TopicCache } from '../topic-cache.js';
import { fetch, type FetchDeps } from './fetch.js';
import { listOffsets } from './list-offsets.js';

export function createFetchDeps(ctx: BrokerContext): FetchDeps {
  return {
    topics: new TopicCache(new TopicStore(ctx.dynamodb, ctx.tables.topics), ctx.now),
    heads: new PartitionHeads(ctx.dynamodb, ctx.tables.partitions),
    index: new BatchIndex(ctx.dynamodb, ctx.tables.batches),
    objects: new ObjectStore(ctx.s3, ctx.bucket),
    now: ctx.now,
  };
}

export type FetchHandler = (event: unknown) => Promise<Reply<unknown>>;

export function createFetchHandler(ctx: BrokerContext, log?: Logger): FetchHandler {
  const deps = createFetchDeps(ctx);
  const run = (request: FetchFunctionRequest) => {
    switch (request.action) {
      case 'fetch':
        return fetch(deps, request);
      case 'listOffsets':
        return listOffsets(deps, request);
      case 'metadata':
        return metadata(deps.topics, request.topics);
    }
  };
  return (event) => toReply(async () => run(parseRequest(fetchFunctionRequest, event, 'fetch')), log);
}
