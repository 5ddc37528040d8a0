/**
 * SyncGroup as a step of the classic state machine: the leader's sync
 * stores every member's assignment and makes the generation STABLE; a
 * follower's is answered `waiting` until then (the gateway asks again), and
 * then with its own assignment. Each answer records the member's liveness.
 */
import { KafkalessError } from '../../errors.js';
import { decodeAssignment } from '../../protocol/consumer-protocol.js';
import type { ClassicSyncReply } from '../../protocol/group-replies.js';
import type { ClassicSyncRequest } from '../../protocol/group-requests.js';
import type { GroupMember, GroupState, TopicPartitionRef } from '../../storage/group-records.js';
import { classicMember, rebalanceInProgress, unknownClassicMember } from './classic-errors.js';
import { classicOf, settleClassic } from './classic-state.js';
import { runGroupStep } from './coordinator.js';
import type { GroupDeps } from './deps.js';
import type { StepEnv, StepOutcome } from './heartbeat-step.js';
import { validateGroupId } from './validate.js';

export async function classicSync(deps: GroupDeps, request: ClassicSyncRequest): Promise<ClassicSyncReply> {
  validateGroupId(request.groupId);
  return runGroupStep<ClassicSyncReply>(deps, request.groupId, (loaded, env) => classicSyncStep(loaded, request, env));
}

export function classicSyncStep(loaded: GroupState | undefined, request: ClassicSyncRequest, env: StepEnv): StepOutcome<ClassicSyncReply> {
  if (loaded === undefined || loaded.meta.classic === undefined) throw unknownClassicMember(request.groupId, request.memberId);
  const { state, changed } = settleClassic(loaded, env.nowMs);
  try {
    const member = classicMember(state, request);
    checkProtocol(state, request);
    if (state.meta.state === 'PREPARING_REBALANCE') throw rebalanceInProgress(request.groupId);
    if (state.meta.state === 'COMPLETING_REBALANCE') {
      if (classicOf(state).leaderId !== member.memberId) return { state, write: changed, reply: { status: 'waiting' } };
      return synced(withAssignments(state, request), member.memberId, env.nowMs);
    }
    return synced(state, member.memberId, env.nowMs);
  } catch (err) {
    if (err instanceof KafkalessError) return { state, write: changed, error: err };
    throw err;
  }
}

/** SyncGroup v5 names the protocol type and name: they must be the group's. */
function checkProtocol(state: GroupState, request: ClassicSyncRequest): void {
  const classic = classicOf(state);
  const wrongType = request.protocolType !== undefined && request.protocolType !== classic.protocolType;
  const wrongName = request.protocolName !== undefined && request.protocolName !== (classic.protocolName ?? '');
  if (wrongType || wrongName) {
    throw new KafkalessError('InconsistentGroupProtocol', `Group '${request.groupId}' uses protocol '${classic.protocolType}'/'${classic.protocolName ?? ''}', not '${request.protocolType ?? ''}'/'${request.protocolName ?? ''}'`, {
      context: { groupId: request.groupId, memberId: request.memberId },
    });
  }
}

/** The leader's assignments stored with each member (a member it left out gets an empty one); the generation is STABLE. */
function withAssignments(state: GroupState, request: ClassicSyncRequest): GroupState {
  const given = new Map(request.assignments.map((a) => [a.memberId, a.assignment]));
  const consumer = classicOf(state).protocolType === 'consumer';
  const members = state.members.map((m): GroupMember => {
    const assignment = given.get(m.memberId) ?? '';
    return { ...m, assigned: consumer ? partitionsOf(assignment) : [], classic: { ...m.classic!, assignment } };
  });
  const { syncDeadlineMs: _done, ...classic } = classicOf(state);
  return { members, meta: { ...state.meta, state: 'STABLE', classic } };
}

/** The partitions of a consumer-protocol assignment, so that describeGroups can name each partition's owner. */
function partitionsOf(assignment: string): TopicPartitionRef[] {
  const topics = decodeAssignment(Buffer.from(assignment, 'base64')) ?? [];
  return topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
}

function synced(state: GroupState, memberId: string, nowMs: number): StepOutcome<ClassicSyncReply> {
  const members = state.members.map((m) => (m.memberId === memberId ? { ...m, lastHeartbeatMs: nowMs } : m));
  const member = members.find((m) => m.memberId === memberId)!;
  const classic = classicOf(state);
  return {
    state: { ...state, members },
    write: true,
    reply: { status: 'synced', protocolType: classic.protocolType, protocolName: classic.protocolName ?? '', assignment: member.classic?.assignment ?? '' },
  };
}
