/** The group function: consumer group coordinator, offsets, and group administration. */
import { groupRequest, type GroupRequest } from '../../protocol/group-requests.js';
import type { GroupReplies } from '../../protocol/group-replies.js';
import { parseRequest } from '../../protocol/parse-request.js';
import type { Reply } from '../../protocol/reply.js';
import type { BrokerContext } from '../context.js';
import { toReply, type Logger } from '../dispatch.js';
import { classicHeartbeat } from './classic-heartbeat.js';
import { classicJoin } from './classic-join.js';
import { classicLeave } from './classic-leave.js';
import { classicSync } from './classic-sync.js';
import { commitOffsets } from './commit-offsets.js';
import { createGroupDeps, type GroupDeps, type GroupDepsOptions } from './deps.js';
import { deleteGroups } from './delete-groups.js';
import { deleteOffsets } from './delete-offsets.js';
import { describeGroups, listGroups } from './describe-groups.js';
import { fetchOffsets } from './fetch-offsets.js';
import { heartbeat } from './heartbeat.js';
import { resetOffsets } from './reset-offsets.js';

export { createGroupDeps, type GroupDeps, type GroupDepsOptions } from './deps.js';
export { expireMembers, type ExpirySummary } from './expire-members.js';
export { heartbeatStep, type HeartbeatInput, type StepEnv, type StepOutcome } from './heartbeat-step.js';

async function run(deps: GroupDeps, request: GroupRequest): Promise<GroupReplies[keyof GroupReplies]> {
  switch (request.action) {
    case 'heartbeat':
      return heartbeat(deps, request);
    case 'commitOffsets':
      return commitOffsets(deps, request);
    case 'fetchOffsets':
      return fetchOffsets(deps, request);
    case 'resetOffsets':
      return resetOffsets(deps, request);
    case 'listGroups':
      return listGroups(deps);
    case 'describeGroups':
      return describeGroups(deps, request.groupIds);
    case 'deleteGroups':
      return deleteGroups(deps, request.groupIds);
    case 'deleteOffsets':
      return deleteOffsets(deps, request);
    case 'classicJoin':
      return classicJoin(deps, request);
    case 'classicSync':
      return classicSync(deps, request);
    case 'classicHeartbeat':
      return classicHeartbeat(deps, request);
    case 'classicLeave':
      return classicLeave(deps, request);
  }
}

export type GroupHandler = (event: unknown) => Promise<Reply<unknown>>;

export function createGroupHandler(ctx: BrokerContext, log?: Logger, options?: GroupDepsOptions): GroupHandler {
  const deps = createGroupDeps(ctx, options);
  return (event) => toReply(async () => run(deps, parseRequest(groupRequest, event, 'group')), log);
}
