/**
 * ConsumerGroupHeartbeat (KIP-848): the group function's `heartbeat`. The
 * wire names owned and assigned partitions by topic id, the broker by topic
 * name; both ways go through the topics' own ids. Kafka's request rules that
 * only the wire has (v1's client-made member id, what a join must carry) are
 * checked here, before the broker is asked; the rest, and every error, are
 * the broker's.
 */
import { toErrorPayload, type ErrorCode } from '../../errors.js';
import type { HeartbeatReply } from '../../protocol/group-replies.js';
import { JOIN_EPOCH } from '../../protocol/group-requests.js';
import { API_KEYS, type ConsumerGroupHeartbeatRequest, type ConsumerGroupHeartbeatResponse, type WireInput } from '../../wire/index.js';
import type { ApiContext, ApiHandler } from '../api-handler.js';
import { idsOfTopics, withTopicIds, withTopicNames } from '../group-topic-ids.js';
import { codeOf } from '../wire-answers.js';

/** From this version the consumer makes its member id (a UUID) before it joins. */
const CLIENT_MEMBER_ID_VERSION = 1;

export const consumerGroupHeartbeat: ApiHandler<typeof API_KEYS.ConsumerGroupHeartbeat> = {
  apiKey: API_KEYS.ConsumerGroupHeartbeat,
  minVersion: 0,
  maxVersion: 1,
  async handle(request, ctx) {
    const refused = refusal(request, ctx.version);
    if (refused !== undefined) return failed('InvalidRequest', refused);
    try {
      const reply = await ctx.broker.call<HeartbeatReply>('group', await brokerRequest(request, ctx));
      const left = reply.memberEpoch < 0;
      const ids = left ? new Map<string, string>() : await idsOfTopics(ctx.broker, [reply.assignment]);
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        memberId: reply.memberId,
        memberEpoch: reply.memberEpoch,
        heartbeatIntervalMs: reply.heartbeatIntervalMs,
        assignment: left ? null : { topicPartitions: withTopicIds(reply.assignment, ids).map(({ topicId, partitions }) => ({ topicId, partitions })) },
      };
    } catch (err) {
      const error = toErrorPayload(err);
      return failed(error.code, error.message);
    }
  },
};

/** Kafka's checks of the request as the wire carries it (GroupMetadataManager's), as an INVALID_REQUEST message. */
function refusal(request: ConsumerGroupHeartbeatRequest, version: number): string | undefined {
  if (version >= CLIENT_MEMBER_ID_VERSION && request.memberId === '') return `MemberId can't be empty: from version ${CLIENT_MEMBER_ID_VERSION} the consumer makes its own (a UUID)`;
  if (request.instanceId === '') return "InstanceId can't be empty (null when the member is not static)";
  if (request.rackId === '') return "RackId can't be empty (null when the member has none)";
  if (request.memberEpoch !== JOIN_EPOCH) return undefined;
  if (request.rebalanceTimeoutMs === -1) return 'RebalanceTimeoutMs must be provided when joining (memberEpoch 0)';
  if (request.topicPartitions === null || request.topicPartitions.length > 0) return 'TopicPartitions must be an empty list when (re-)joining (memberEpoch 0)';
  const names = request.subscribedTopicNames ?? [];
  const regex = request.subscribedTopicRegex ?? '';
  if (names.length === 0 && regex === '') return 'SubscribedTopicNames or SubscribedTopicRegex must be set when joining (memberEpoch 0)';
  return undefined;
}

async function brokerRequest(request: ConsumerGroupHeartbeatRequest, ctx: ApiContext): Promise<object> {
  return {
    action: 'heartbeat',
    groupId: request.groupId,
    memberId: request.memberId,
    memberEpoch: request.memberEpoch,
    clientId: ctx.clientId ?? '',
    clientHost: ctx.clientHost,
    ...(request.instanceId !== null ? { instanceId: request.instanceId } : {}),
    ...(request.subscribedTopicNames !== null ? { subscribedTopics: request.subscribedTopicNames } : {}),
    ...(request.subscribedTopicRegex !== null ? { subscribedTopicRegex: request.subscribedTopicRegex } : {}),
    ...(request.serverAssignor !== null ? { assignor: request.serverAssignor } : {}),
    ...(request.topicPartitions !== null ? { ownedPartitions: await withTopicNames(ctx.broker, request.topicPartitions) } : {}),
  };
}

function failed(code: ErrorCode, message: string): WireInput<ConsumerGroupHeartbeatResponse> {
  return { throttleTimeMs: 0, errorCode: codeOf(code), errorMessage: message, memberId: null, memberEpoch: 0, heartbeatIntervalMs: 0, assignment: null };
}
