/**
 * The group admin handlers honor the optional fields a classic group's
 * replies carry (type, protocol type and name, members' own bytes, the
 * rebalance states), given those replies as the group function gives them.
 */
import { describe, expect, it } from 'vitest';
import type { ApiContext } from '../../lib/gateway/api-handler.js';
import { SERVED_APIS } from '../../lib/gateway/apis/index.js';
import { consumerGroupDescribe } from '../../lib/gateway/apis/consumer-group-describe.js';
import { describeGroups } from '../../lib/gateway/apis/describe-groups.js';
import { listGroups } from '../../lib/gateway/apis/list-groups.js';
import type { BrokerCalls } from '../../lib/gateway/broker-calls.js';
import type { GroupDescription, GroupListing, GroupStateName, MemberDescription } from '../../lib/protocol/group-replies.js';

const metadataBytes = Buffer.from('classic member metadata');
const assignmentBytes = Buffer.from('classic member assignment');

const member: MemberDescription = {
  memberId: 'm-1',
  clientId: 'legacy',
  clientHost: '/10.0.0.9',
  memberEpoch: 3,
  assignment: [{ topic: 't', partition: 0 }],
  revoking: [],
  targetAssignment: [{ topic: 't', partition: 0 }],
  lastHeartbeatMs: 0,
  sessionTimeoutMs: 10_000,
  metadata: metadataBytes.toString('base64'),
  assignmentBytes: assignmentBytes.toString('base64'),
};

const classicGroup = (state: GroupStateName): GroupDescription => ({
  groupId: 'legacy-g',
  state,
  assignor: '',
  groupEpoch: 3,
  assignmentEpoch: 3,
  members: [member],
  partitions: [],
  type: 'classic',
  protocolType: 'connect',
  protocolName: 'sessioned',
});

/** The group function's answers as given, for the handler under test. */
function context(replies: { describeGroups?: GroupDescription[]; listGroups?: GroupListing[] }, version: number): ApiContext {
  const broker: BrokerCalls = {
    async call<T>(_role: string, request: object): Promise<T> {
      const action = (request as { action: string }).action;
      if (action === 'describeGroups') return { groups: replies.describeGroups ?? [] } as T;
      if (action === 'listGroups') return { groups: replies.listGroups ?? [] } as T;
      throw new Error(`unexpected broker call ${action}`);
    },
  };
  return { broker, node: { nodeId: 0, host: '127.0.0.1', port: 9092 }, clusterId: 'c', version, clientId: 't', clientHost: '/127.0.0.1', served: SERVED_APIS };
}

describe('a classic group through the group admin APIs', () => {
  it('DescribeGroups answers its protocol type, protocol and members\' own bytes while Stable', async () => {
    const r = await describeGroups.handle({ groups: ['legacy-g'], includeAuthorizedOperations: false }, context({ describeGroups: [classicGroup('STABLE')] }, 5));
    expect(r!.groups![0]).toMatchObject({ errorCode: 0, groupState: 'Stable', protocolType: 'connect', protocolData: 'sessioned' });
    expect(r!.groups![0]!.members![0]).toMatchObject({ memberId: 'm-1', clientId: 'legacy', memberMetadata: metadataBytes, memberAssignment: assignmentBytes });
  });

  it('DescribeGroups answers no protocol and no member bytes while it rebalances, with Kafka\'s state names', async () => {
    for (const [state, name] of [['PREPARING_REBALANCE', 'PreparingRebalance'], ['COMPLETING_REBALANCE', 'CompletingRebalance']] as const) {
      const r = await describeGroups.handle({ groups: ['legacy-g'], includeAuthorizedOperations: false }, context({ describeGroups: [classicGroup(state)] }, 5));
      expect(r!.groups![0]).toMatchObject({ groupState: name, protocolType: 'connect', protocolData: '' });
      expect(r!.groups![0]!.members![0]).toMatchObject({ memberMetadata: Buffer.alloc(0), memberAssignment: Buffer.alloc(0) });
    }
  });

  it('ConsumerGroupDescribe answers GROUP_ID_NOT_FOUND: it is not a consumer group', async () => {
    const r = await consumerGroupDescribe.handle({ groupIds: ['legacy-g'], includeAuthorizedOperations: false }, context({ describeGroups: [classicGroup('STABLE')] }, 0));
    expect(r!.groups![0]).toMatchObject({ groupId: 'legacy-g', errorCode: 69, members: [] });
  });

  it('ListGroups gives its type and protocol type and filters on them', async () => {
    const listing: GroupListing[] = [
      { groupId: 'legacy-g', state: 'PREPARING_REBALANCE', members: 1, type: 'classic', protocolType: 'connect' },
      { groupId: 'new-g', state: 'STABLE', members: 1 },
    ];
    const all = await listGroups.handle({ statesFilter: [], typesFilter: [] }, context({ listGroups: listing }, 5));
    expect(all!.groups).toEqual([
      { groupId: 'legacy-g', protocolType: 'connect', groupState: 'PreparingRebalance', groupType: 'classic' },
      { groupId: 'new-g', protocolType: 'consumer', groupState: 'Stable', groupType: 'consumer' },
    ]);
    const classic = await listGroups.handle({ statesFilter: ['preparingrebalance'], typesFilter: ['CLASSIC'] }, context({ listGroups: listing }, 5));
    expect(classic!.groups!.map((g) => g.groupId)).toEqual(['legacy-g']);
  });
});
