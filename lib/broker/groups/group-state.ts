/** A new group's state, the state name a group is in, and expiry of members past their session. */
import type { GroupStateName } from '../../protocol/group-replies.js';
import { sessionExpiresAtMs, type GroupMember, type GroupMeta, type GroupState } from '../../storage/group-records.js';
import { MAX_EXPIRED_PER_STEP } from './defaults.js';
import { isReconciled } from './reconcile.js';

export function emptyGroup(groupId: string, assignor: string, nowMs: number): GroupState {
  const meta: GroupMeta = {
    groupId,
    groupEpoch: 0,
    assignmentEpoch: 0,
    assignor,
    targetAssignment: {},
    topicsSnapshot: {},
    state: 'EMPTY',
    memberCount: 0,
    nextJoinOrder: 0,
    createdAtMs: nowMs,
    version: 0,
  };
  return { meta, members: [] };
}

export function isExpired(member: GroupMember, nowMs: number): boolean {
  return sessionExpiresAtMs(member) <= nowMs;
}

/** Removes members whose session ended (at most MAX_EXPIRED_PER_STEP per step, the longest-expired first). */
export function dropExpiredMembers(state: GroupState, nowMs: number): { state: GroupState; expired: GroupMember[] } {
  const expired = state.members
    .filter((m) => isExpired(m, nowMs))
    .sort((a, b) => sessionExpiresAtMs(a) - sessionExpiresAtMs(b))
    .slice(0, MAX_EXPIRED_PER_STEP);
  if (expired.length === 0) return { state, expired };
  const gone = new Set(expired.map((m) => m.memberId));
  return { state: { ...state, members: state.members.filter((m) => !gone.has(m.memberId)) }, expired };
}

export function groupStateName(state: GroupState): GroupStateName {
  if (state.meta.state === 'DEAD') return 'DEAD';
  // A classic group's state is its state machine's (classic-state.ts).
  if (state.meta.classic !== undefined) return state.meta.state;
  if (state.members.length === 0) return 'EMPTY';
  const { targetAssignment, assignmentEpoch } = state.meta;
  return state.members.every((m) => m.leftStatic === true || isReconciled(m, targetAssignment[m.memberId], assignmentEpoch)) ? 'STABLE' : 'RECONCILING';
}

/** The meta as it is written after a step: state name and member count brought up to date. */
export function withSummary(state: GroupState): GroupState {
  return { ...state, meta: { ...state.meta, state: groupStateName(state), memberCount: state.members.length } };
}
