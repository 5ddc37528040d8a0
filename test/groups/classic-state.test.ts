/** The classic group's pure steps: joins through a completed generation, the protocol vote, deadlines, the leader's sync. */
import { describe, expect, it } from 'vitest';
import { classicJoinStep } from '../../lib/broker/groups/classic-join.js';
import { chooseProtocol, settleClassic } from '../../lib/broker/groups/classic-state.js';
import { classicSyncStep } from '../../lib/broker/groups/classic-sync.js';
import type { StepEnv } from '../../lib/broker/groups/heartbeat-step.js';
import type { TopicsView } from '../../lib/broker/groups/topics-view.js';
import type { ClassicJoinRequest } from '../../lib/protocol/group-requests.js';
import type { GroupMember, GroupState } from '../../lib/storage/group-records.js';

const topics = new Map() as unknown as TopicsView;
let ids = 0;
const env = (nowMs: number): StepEnv => ({ nowMs, topics, newMemberId: () => `id${++ids}` });

const joinRequest = (memberId: string, names: string[], extra: Partial<ClassicJoinRequest> = {}): ClassicJoinRequest => ({
  action: 'classicJoin',
  groupId: 'g',
  memberId,
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 5_000,
  protocolType: 'consumer',
  protocols: names.map((name) => ({ name, metadata: Buffer.from(name).toString('base64') })),
  requireKnownMemberId: false,
  ...extra,
});

/** Runs a join step and returns the new state (as the coordinator would write it). */
function joined(state: GroupState | undefined, request: ClassicJoinRequest, nowMs: number) {
  const outcome = classicJoinStep(state, request, env(nowMs));
  if (outcome.error !== undefined) throw outcome.error;
  return outcome;
}

const member = (memberId: string, names: string[]): GroupMember => ({
  memberId,
  memberEpoch: 1,
  previousMemberEpoch: 0,
  assigned: [],
  revoking: [],
  lastHeartbeatMs: 0,
  sessionTimeoutMs: 10_000,
  joinOrder: 0,
  classic: { protocolType: 'consumer', protocols: names.map((name) => ({ name, metadata: '' })), rebalanceTimeoutMs: 5_000, joined: true },
});

describe('the classic group state machine', () => {
  it('holds the first join for the initial delay, takes joiners meanwhile, then completes one generation with the first as leader', () => {
    const first = joined(undefined, joinRequest('a', ['range']), 0);
    expect(first.reply).toEqual({ status: 'waiting', memberId: 'a', sinceGeneration: 0 });
    expect(first.state.meta.state).toBe('PREPARING_REBALANCE');
    const second = joined(first.state, joinRequest('b', ['range', 'roundrobin']), 500);
    expect(second.reply?.status).toBe('waiting');
    expect(settleClassic(second.state, 1_000).state.meta.state).toBe('PREPARING_REBALANCE');
    const done = settleClassic(second.state, 1_600);
    expect(done.changed).toBe(true);
    expect(done.state.meta).toMatchObject({ state: 'COMPLETING_REBALANCE', groupEpoch: 1, classic: { protocolName: 'range', leaderId: 'a' } });
    const polled = joined(done.state, joinRequest('a', ['range'], { sinceGeneration: 0 }), 1_700);
    expect(polled.reply).toMatchObject({ status: 'joined', generationId: 1, leader: 'a', members: [{ memberId: 'a' }, { memberId: 'b' }] });
    const follower = joined(done.state, joinRequest('b', ['range', 'roundrobin'], { sinceGeneration: 0 }), 1_700);
    expect(follower.reply).toMatchObject({ status: 'joined', generationId: 1, leader: 'a', members: [] });
  });

  it('ends a join phase at its deadline without the members that did not rejoin', () => {
    const stable: GroupState = {
      meta: { groupId: 'g', groupEpoch: 1, assignmentEpoch: 1, assignor: 'range', targetAssignment: {}, topicsSnapshot: {}, state: 'STABLE', memberCount: 2, nextJoinOrder: 2, createdAtMs: 0, version: 3, classic: { protocolType: 'consumer', protocolName: 'range', leaderId: 'a' } },
      members: [{ ...member('a', ['range']), lastHeartbeatMs: 0 }, { ...member('b', ['range']), joinOrder: 1, lastHeartbeatMs: 0 }],
    };
    const rejoin = joined(stable, joinRequest('b', ['range']), 100);
    expect(rejoin.state.meta.state).toBe('PREPARING_REBALANCE');
    expect(settleClassic(rejoin.state, 5_000).state.meta.state).toBe('PREPARING_REBALANCE');
    const after = settleClassic(rejoin.state, 5_100).state;
    expect(after.meta).toMatchObject({ state: 'COMPLETING_REBALANCE', groupEpoch: 2, classic: { leaderId: 'b' } });
    expect(after.members.map((m) => m.memberId)).toEqual(['b']);
  });

  it('chooses the protocol all members support that most prefer', () => {
    expect(chooseProtocol([member('a', ['sticky', 'range']), member('b', ['range', 'sticky']), member('c', ['range'])])).toBe('range');
    expect(chooseProtocol([member('a', ['sticky', 'range']), member('b', ['sticky', 'range'])])).toBe('sticky');
    expect(chooseProtocol([member('a', ['sticky']), member('b', ['range'])])).toBeUndefined();
  });

  it('makes the generation stable with the leader sync and hands each member its assignment', () => {
    const first = joined(undefined, joinRequest('a', ['range']), 0);
    const second = joined(first.state, joinRequest('b', ['range']), 10);
    const completing = settleClassic(second.state, 2_000).state;
    const waiting = classicSyncStep(completing, { action: 'classicSync', groupId: 'g', memberId: 'b', generationId: 1, assignments: [] }, env(2_100));
    expect(waiting.reply).toEqual({ status: 'waiting' });
    const leader = classicSyncStep(completing, { action: 'classicSync', groupId: 'g', memberId: 'a', generationId: 1, assignments: [{ memberId: 'a', assignment: 'QQ==' }, { memberId: 'b', assignment: 'Qg==' }] }, env(2_100));
    expect(leader.reply).toMatchObject({ status: 'synced', assignment: 'QQ==' });
    expect(leader.state.meta.state).toBe('STABLE');
    const follower = classicSyncStep(leader.state, { action: 'classicSync', groupId: 'g', memberId: 'b', generationId: 1, assignments: [] }, env(2_200));
    expect(follower.reply).toMatchObject({ status: 'synced', assignment: 'Qg==' });
    const stale = classicSyncStep(leader.state, { action: 'classicSync', groupId: 'g', memberId: 'b', generationId: 0, assignments: [] }, env(2_200));
    expect(stale.error?.code).toBe('IllegalGeneration');
  });
});
