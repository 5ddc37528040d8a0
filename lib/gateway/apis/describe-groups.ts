/**
 * DescribeGroups: the group function's `describeGroups`. A group that does
 * not exist is answered as Kafka answers it: state Dead, no error. A
 * KIP-848 group answers protocol type 'consumer', its assignor as the
 * protocol, and each member's subscription and assignment in the
 * ConsumerProtocol format (what kafkajs and Kafka's tools decode); a classic
 * group answers its members' own bytes once it is Stable, as Kafka does.
 */
import { memberProtocolBytes } from '../../protocol/consumer-protocol.js';
import type { GroupDescription } from '../../protocol/group-replies.js';
import { kafkaGroupState } from '../../protocol/group-state-names.js';
import { API_KEYS, type DescribeGroupsResponseDescribedGroup, type WireInput } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { describeEach } from '../group-lookup.js';
import { codeOf } from '../wire-answers.js';

const CONSUMER_PROTOCOL_TYPE = 'consumer';
const NO_BYTES = { metadata: Buffer.alloc(0), assignment: Buffer.alloc(0) };

export const describeGroups: ApiHandler<typeof API_KEYS.DescribeGroups> = {
  apiKey: API_KEYS.DescribeGroups,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx) {
    const described = await describeEach(ctx.broker, request.groups);
    return {
      throttleTimeMs: 0,
      groups: request.groups.map((groupId) => {
        const s = described.get(groupId)!;
        if (s.error === undefined) return describedGroup(s.result);
        // Kafka has no group by an empty id either: Dead, as any group it does not have.
        if (s.error.code === 'GroupIdNotFound' || s.error.code === 'InvalidGroupId') return { errorCode: 0, groupId, groupState: kafkaGroupState('DEAD'), protocolType: '', protocolData: '', members: [] };
        return { errorCode: codeOf(s.error.code), groupId, groupState: '', protocolType: '', protocolData: '', members: [] };
      }),
    };
  },
};

function describedGroup(g: GroupDescription): WireInput<DescribeGroupsResponseDescribedGroup> {
  const classic = g.type === 'classic';
  // Kafka gives a classic group's protocol and member bytes only while it is Stable.
  const settled = !classic || g.state === 'STABLE';
  return {
    errorCode: 0,
    groupId: g.groupId,
    groupState: kafkaGroupState(g.state),
    protocolType: g.protocolType ?? CONSUMER_PROTOCOL_TYPE,
    protocolData: classic ? (settled ? (g.protocolName ?? '') : '') : g.assignor,
    members: g.members.map((m) => {
      const bytes = settled ? memberProtocolBytes(m) : NO_BYTES;
      return {
        memberId: m.memberId,
        groupInstanceId: m.instanceId ?? null,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: bytes.metadata,
        memberAssignment: bytes.assignment,
      };
    }),
  };
}
