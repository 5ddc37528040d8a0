/**
 * A classic (JoinGroup/SyncGroup) group's state machine as pure functions
 * of (state, now): EMPTY → PREPARING_REBALANCE (members rejoin) →
 * COMPLETING_REBALANCE (the leader assigns) → STABLE. There is no
 * coordinator process and no timer: every step of the group (a join, a
 * poll of a waiting join, a heartbeat, the maintenance sweep) first
 * settles it — expires silent members, ends a join phase whose members all
 * rejoined or whose deadline passed, removes a leader that never synced —
 * and whoever settles first writes the result under the group's version.
 */
import type { ClassicGroupMeta, GroupMember, GroupMeta, GroupState } from '../../storage/group-records.js';
import { sessionExpiresAtMs } from '../../storage/group-records.js';
import { emptyGroup } from './group-state.js';

/**
 * Kafka's group.initial.rebalance.delay.ms (3 s there): the first join into
 * an empty group waits this long for others, extended by each newcomer up to
 * the rebalance timeout.
 */
export const CLASSIC_INITIAL_REBALANCE_DELAY_MS = 1_000;

export const isClassic = (state: GroupState | undefined): boolean => state?.meta.classic !== undefined;

/** A group that has no classic members yet, ready for its first: an empty consumer group (offsets kept) or a new one. */
export function asClassicGroup(groupId: string, loaded: GroupState | undefined, protocolType: string, nowMs: number): GroupState {
  if (loaded !== undefined && isClassic(loaded)) return loaded;
  const base = emptyGroup(groupId, '', nowMs).meta;
  const meta: GroupMeta = { ...base, createdAtMs: loaded?.meta.createdAtMs ?? nowMs, version: loaded?.meta.version ?? 0, classic: { protocolType } };
  return { meta, members: [] };
}

export function classicOf(state: GroupState): ClassicGroupMeta {
  return state.meta.classic ?? { protocolType: '' };
}

function withClassic(state: GroupState, classic: ClassicGroupMeta, fields: Partial<GroupMeta> = {}): GroupState {
  return { ...state, meta: { ...state.meta, ...fields, classic } };
}

/** A member the join or sync wait holds: it cannot heartbeat meanwhile, so its session does not run out. */
function keptAlive(member: GroupMember, state: GroupState): boolean {
  if (state.meta.state === 'COMPLETING_REBALANCE') return true;
  return state.meta.state === 'PREPARING_REBALANCE' && member.classic?.joined === true;
}

const maxRebalanceTimeoutMs = (members: readonly GroupMember[]): number => Math.max(0, ...members.map((m) => m.classic?.rebalanceTimeoutMs ?? 0));

/** Opens a join phase: every member must rejoin by the deadline (the longest rebalance timeout of the members). */
export function prepareRebalance(state: GroupState, nowMs: number): GroupState {
  if (state.members.length === 0) return toEmpty(state);
  const { syncDeadlineMs: _s, joinNotBeforeMs: _j, ...classic } = classicOf(state);
  const members = state.members.map((m) => (m.classic === undefined ? m : { ...m, classic: { ...m.classic, joined: false } }));
  return withClassic({ ...state, members }, { ...classic, rebalanceDeadlineMs: nowMs + maxRebalanceTimeoutMs(members) }, { state: 'PREPARING_REBALANCE' });
}

/** No members: a new generation with no protocol and no leader, as Kafka's coordinator does. */
function toEmpty(state: GroupState): GroupState {
  const { protocolType } = classicOf(state);
  return withClassic({ ...state, members: [] }, { protocolType }, { state: 'EMPTY', groupEpoch: state.meta.groupEpoch + 1, assignor: '', memberCount: 0 });
}

/**
 * The protocol every member supports that most members prefer (each votes
 * for the first of its own list that all support); ties go to the leader's
 * order of preference.
 */
export function chooseProtocol(members: readonly GroupMember[]): string | undefined {
  const supported = candidateProtocols(members);
  if (supported.size === 0) return undefined;
  const votes = new Map<string, number>();
  for (const m of members) {
    const vote = m.classic?.protocols.find((p) => supported.has(p.name))?.name;
    if (vote !== undefined) votes.set(vote, (votes.get(vote) ?? 0) + 1);
  }
  const first = members[0]?.classic?.protocols.map((p) => p.name).filter((n) => supported.has(n)) ?? [];
  let best: string | undefined;
  for (const name of first) if (best === undefined || (votes.get(name) ?? 0) > (votes.get(best) ?? 0)) best = name;
  return best;
}

/** The protocol names every member lists. */
export function candidateProtocols(members: readonly GroupMember[]): Set<string> {
  let names: Set<string> | undefined;
  for (const m of members) {
    const own = new Set((m.classic?.protocols ?? []).map((p) => p.name));
    names = names === undefined ? own : new Set([...names].filter((n) => own.has(n)));
  }
  return names ?? new Set();
}

/**
 * Ends the join phase: members that did not rejoin are removed, the
 * generation is bumped, the protocol chosen and the leader kept (or the
 * first member that rejoined); the leader is then expected to sync.
 */
export function completeJoin(state: GroupState, nowMs: number): GroupState {
  const joined = state.members.filter((m) => m.classic?.joined === true);
  if (joined.length === 0) return toEmpty(state);
  const generationId = state.meta.groupEpoch + 1;
  const classic = classicOf(state);
  const leader = joined.find((m) => m.memberId === classic.leaderId) ?? joined[0]!;
  const protocolName = chooseProtocol(joined) ?? '';
  const members = joined.map((m): GroupMember => {
    const { assignment: _old, ...rest } = m.classic!;
    return { ...m, memberEpoch: generationId, previousMemberEpoch: m.memberEpoch, lastHeartbeatMs: nowMs, assigned: [], revoking: [], classic: { ...rest, joined: false } };
  });
  const next: ClassicGroupMeta = { protocolType: classic.protocolType, protocolName, leaderId: leader.memberId, syncDeadlineMs: nowMs + maxRebalanceTimeoutMs(joined) };
  return withClassic({ ...state, members }, next, { state: 'COMPLETING_REBALANCE', groupEpoch: generationId, assignmentEpoch: generationId, assignor: protocolName, memberCount: members.length });
}

/** Whether the join phase may end now: everyone rejoined (after the initial delay), or its deadline passed. */
function joinPhaseOver(state: GroupState, nowMs: number): boolean {
  const classic = classicOf(state);
  if (nowMs >= (classic.rebalanceDeadlineMs ?? 0)) return true;
  return state.members.every((m) => m.classic?.joined === true) && nowMs >= (classic.joinNotBeforeMs ?? 0);
}

export interface ClassicSettled {
  readonly state: GroupState;
  readonly changed: boolean;
}

/** The group as time has moved it on (see the file comment); `changed` when it must be written. */
export function settleClassic(state: GroupState, nowMs: number): ClassicSettled {
  let next = state;
  const expired = next.members.filter((m) => !keptAlive(m, next) && sessionExpiresAtMs(m) <= nowMs);
  if (expired.length > 0) {
    const gone = new Set(expired.map((m) => m.memberId));
    next = { ...next, members: next.members.filter((m) => !gone.has(m.memberId)) };
    if (next.meta.state !== 'PREPARING_REBALANCE') next = prepareRebalance(next, nowMs);
  }
  if (next.meta.state === 'COMPLETING_REBALANCE' && nowMs >= (classicOf(next).syncDeadlineMs ?? Infinity)) {
    // The leader never sent the assignments: it is gone, and the others rebalance without it.
    const leaderId = classicOf(next).leaderId;
    next = prepareRebalance({ ...next, members: next.members.filter((m) => m.memberId !== leaderId) }, nowMs);
  }
  if (next.meta.state === 'PREPARING_REBALANCE' && joinPhaseOver(next, nowMs)) next = completeJoin(next, nowMs);
  if (next.members.length === 0 && next.meta.state !== 'EMPTY') next = toEmpty(next);
  next = { ...next, meta: { ...next.meta, memberCount: next.members.length } };
  return { state: next, changed: next !== state && JSON.stringify(next) !== JSON.stringify(state) };
}

/** Whether a member's protocols differ from what it sent before (which calls for a rebalance). */
export function sameProtocols(a: GroupMember['classic'], b: GroupMember['classic']): boolean {
  if (a === undefined || b === undefined) return false;
  return a.protocolType === b.protocolType && JSON.stringify(a.protocols) === JSON.stringify(b.protocols);
}
