/**
 * ConsumerGroupDescribe (KIP-848): the group function's `describeGroups`,
 * with assignments by topic id and name. A group that does not exist, or is
 * a classic group, is GROUP_ID_NOT_FOUND, as Kafka answers.
 */
import type { GroupDescription, GroupTopicPartition } from '../../protocol/group-replies.js';
import { kafkaGroupState } from '../../protocol/group-state-names.js';
import { API_KEYS, type ConsumerGroupDescribeResponseDescribedGroup, type WireInput } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { describeEach } from '../group-lookup.js';
import { idsOfTopics, withTopicIds } from '../group-topic-ids.js';
import { codeOf } from '../wire-answers.js';

export const consumerGroupDescribe: ApiHandler<typeof API_KEYS.ConsumerGroupDescribe> = {
  apiKey: API_KEYS.ConsumerGroupDescribe,
  minVersion: 0,
  maxVersion: 0,
  async handle(request, ctx) {
    const described = await describeEach(ctx.broker, request.groupIds);
    const found = [...described.values()].flatMap((s) => (s.error === undefined ? [s.result] : []));
    const ids = await idsOfTopics(ctx.broker, found.flatMap((g) => g.members.flatMap((m) => [m.assignment, m.targetAssignment])));
    return {
      throttleTimeMs: 0,
      groups: request.groupIds.map((groupId) => {
        const s = described.get(groupId)!;
        if (s.error !== undefined) return failed(groupId, codeOf(s.error.code), s.error.message);
        if (s.result.type === 'classic') return failed(groupId, codeOf('GroupIdNotFound'), `Group '${groupId}' is not a consumer group (it uses the classic protocol)`);
        return describedGroup(s.result, ids);
      }),
    };
  },
};

function describedGroup(g: GroupDescription, ids: ReadonlyMap<string, string>): WireInput<ConsumerGroupDescribeResponseDescribedGroup> {
  const assignment = (tps: readonly GroupTopicPartition[]) => ({ topicPartitions: withTopicIds(tps, ids) });
  return {
    errorCode: 0,
    errorMessage: null,
    groupId: g.groupId,
    groupState: kafkaGroupState(g.state),
    groupEpoch: g.groupEpoch,
    assignmentEpoch: g.assignmentEpoch,
    assignorName: g.assignor,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      instanceId: m.instanceId ?? null,
      rackId: null,
      memberEpoch: m.memberEpoch,
      clientId: m.clientId,
      clientHost: m.clientHost,
      subscribedTopicNames: [...(m.subscribedTopics ?? [])],
      subscribedTopicRegex: m.subscribedTopicRegex ?? null,
      assignment: assignment(m.assignment),
      targetAssignment: assignment(m.targetAssignment),
    })),
  };
}

function failed(groupId: string, errorCode: number, errorMessage: string): WireInput<ConsumerGroupDescribeResponseDescribedGroup> {
  return { errorCode, errorMessage, groupId, groupState: '', groupEpoch: 0, assignmentEpoch: 0, assignorName: '', members: [] };
}
