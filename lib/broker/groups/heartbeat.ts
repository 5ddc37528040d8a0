/** ConsumerGroupHeartbeat: validate everything, then the quiet beat if it is one, else the pure step under the optimistic loop. */
import type { HeartbeatReply } from '../../protocol/group-replies.js';
import type { HeartbeatRequest } from '../../protocol/group-requests.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import { runGroupStep } from './coordinator.js';
import type { GroupDeps } from './deps.js';
import { heartbeatStep, type HeartbeatInput } from './heartbeat-step.js';
import { quietHeartbeat } from './quiet-heartbeat.js';
import { validateAssignor, validateGroupId, validateSessionTimeout, validateSubscription } from './validate.js';

export function toHeartbeatInput(request: HeartbeatRequest): HeartbeatInput {
  validateGroupId(request.groupId);
  const assignor = validateAssignor(request.assignor);
  validateSessionTimeout(request.sessionTimeoutMs);
  validateSubscription(request.subscribedTopics, request.subscribedTopicRegex);
  request.ownedPartitions?.forEach((tp) => validateTopicName(tp.topic));
  return {
    groupId: request.groupId,
    memberId: request.memberId,
    memberEpoch: request.memberEpoch,
    ...(request.instanceId !== undefined ? { instanceId: request.instanceId } : {}),
    ...(request.clientId !== undefined ? { clientId: request.clientId } : {}),
    ...(request.clientHost !== undefined ? { clientHost: request.clientHost } : {}),
    ...(request.subscribedTopics !== undefined ? { subscribedTopics: request.subscribedTopics } : {}),
    ...(request.subscribedTopicRegex !== undefined ? { subscribedTopicRegex: request.subscribedTopicRegex } : {}),
    ...(assignor !== undefined ? { assignor } : {}),
    ...(request.sessionTimeoutMs !== undefined ? { sessionTimeoutMs: request.sessionTimeoutMs } : {}),
    ...(request.ownedPartitions !== undefined ? { ownedPartitions: request.ownedPartitions } : {}),
  };
}

export async function heartbeat(deps: GroupDeps, request: HeartbeatRequest): Promise<HeartbeatReply> {
  const input = toHeartbeatInput(request);
  const quiet = await quietHeartbeat(deps, input);
  if (quiet !== undefined) return quiet;
  return runGroupStep<HeartbeatReply>(deps, input.groupId, (loaded, env) => heartbeatStep(loaded, input, env), input.subscribedTopics);
}
