/** The admin function: one request in, one reply out. */
import { adminRequest, type AdminRequest } from '../../protocol/admin-requests.js';
import type { AdminReplies } from '../../protocol/admin-replies.js';
import { parseRequest } from '../../protocol/parse-request.js';
import type { Reply } from '../../protocol/reply.js';
import type { BrokerContext } from '../context.js';
import { toReply, type Logger } from '../dispatch.js';
import { createPartitions } from './create-partitions.js';
import { createTopics } from './create-topics.js';
import { deleteRecords } from './delete-records.js';
import { deleteTopics } from './delete-topics.js';
import { createAdminDeps, type AdminDeps } from './deps.js';
import { describeCluster } from './describe-cluster.js';
import { describeTopics, listTopics } from './describe-topics.js';
import { incrementalAlterConfigs } from './incremental-alter-configs.js';
import { alterConfigs, describeConfigs } from './topic-configs.js';

async function run(deps: AdminDeps, request: AdminRequest): Promise<AdminReplies[keyof AdminReplies]> {
  switch (request.action) {
    case 'createTopics':
      return createTopics(deps, request);
    case 'listTopics':
      return listTopics(deps);
    case 'describeTopics':
      return describeTopics(deps, request.topics);
    case 'deleteTopics':
      return deleteTopics(deps, request.topics);
    case 'createPartitions':
      return createPartitions(deps, request);
    case 'describeConfigs':
      return describeConfigs(deps, request.topics);
    case 'alterConfigs':
      return alterConfigs(deps, request);
    case 'deleteRecords':
      return deleteRecords(deps, request);
    case 'incrementalAlterConfigs':
      return incrementalAlterConfigs(deps, request);
    case 'describeCluster':
      return describeCluster(deps.clusterId);
  }
}

export type AdminHandler = (event: unknown) => Promise<Reply<unknown>>;

export function createAdminHandler(ctx: BrokerContext, log?: Logger): AdminHandler {
  const deps = createAdminDeps(ctx);
  return (event) => toReply(async () => run(deps, parseRequest(adminRequest, event, 'admin')), log);
}
