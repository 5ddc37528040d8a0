/**
 * One heartbeat as a pure state transition (KIP-848's
 * ConsumerGroupHeartbeat): (group state, request, live topics, now) →
 * (new state, reply). It expires members past their session, applies the
 * join / leave / static leave / heartbeat of this member, rebalances when
 * something calls for it, and reconciles this member towards its target.
 * The coordinator loads, runs this, and writes the result conditionally.
 */
import { KafkalessError } from '../../errors.js';
import type { HeartbeatReply } from '../../protocol/group-replies.js';
import { JOIN_EPOCH, LEAVE_EPOCH, STATIC_LEAVE_EPOCH } from '../../protocol/group-requests.js';
import { ownedBy, tpKey, type GroupMember, type GroupState, type TopicPartitionRef } from '../../storage/group-records.js';
import type { AssignorName } from '../assignors/index.js';
import { DEFAULT_ASSIGNOR, DEFAULT_SESSION_TIMEOUT_MS, heartbeatIntervalFor } from './defaults.js';
import { settleClassic } from './classic-state.js';
import { dropExpiredMembers, emptyGroup, withSummary } from './group-state.js';
import { acknowledgeRevocations, heldByOthers, reconcileMember } from './reconcile.js';
import { rebalanceIfNeeded } from './target.js';
import type { TopicsView } from './topics-view.js';

/** A heartbeat whose fields were validated (group id, assignor, topic names, regex, session timeout). */
export interface HeartbeatInput {
  readonly groupId: string;
  readonly memberId: string;
  readonly memberEpoch: number;
  readonly instanceId?: string;
  readonly clientId?: string;
  readonly clientHost?: string;
  readonly subscribedTopics?: readonly string[];
  readonly subscribedTopicRegex?: string;
  readonly assignor?: AssignorName;
  readonly sessionTimeoutMs?: number;
  readonly ownedPartitions?: readonly TopicPartitionRef[];
}

export interface StepEnv {
  readonly nowMs: number;
  readonly topics: TopicsView;
  /** Makes an id for a member that joins without one. */
  readonly newMemberId: () => string;
}

/** The new state to write (when `write`), and the reply or the error to answer with. */
export type StepOutcome<T> =
  | { readonly state: GroupState; readonly write: boolean; readonly reply: T; readonly error?: undefined }
  | { readonly state: GroupState; readonly write: boolean; readonly error: KafkalessError; readonly reply?: undefined };

interface Applied {
  readonly state: GroupState;
  /** The member to reconcile and answer; undefined after a leave. */
  readonly member: GroupMember | undefined;
  readonly membershipChanged: boolean;
  readonly replyEpoch?: number;
}

export function heartbeatStep(loaded: GroupState | undefined, input: HeartbeatInput, env: StepEnv): StepOutcome<HeartbeatReply> {
  checkShape(loaded, input);
  const base = loaded === undefined || loaded.meta.classic !== undefined ? fromClassic(loaded, input, env) : loaded;
  const { state: live, expired } = dropExpiredMembers(base, env.nowMs);
  let applied: Applied;
  try {
    applied = apply(live, input, env, expired);
  } catch (err) {
    if (!(err instanceof KafkalessError) || expired.length === 0) throw err;
    return { state: withSummary(rebalanceIfNeeded(live, env.topics, true)), write: true, error: err };
  }
  const rebalanced = rebalanceIfNeeded(applied.state, env.topics, applied.membershipChanged || expired.length > 0);
  const member = applied.member === undefined || applied.member.leftStatic === true ? applied.member : reconcile(rebalanced, applied.member);
  const state = withSummary(member === undefined ? rebalanced : replaceMember(rebalanced, member));
  const reply: HeartbeatReply = {
    memberId: member?.memberId ?? input.memberId,
    memberEpoch: applied.replyEpoch ?? member!.memberEpoch,
    heartbeatIntervalMs: heartbeatIntervalFor(member?.sessionTimeoutMs ?? input.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS),
    assignment: applied.replyEpoch !== undefined ? [] : member!.assigned.map((tp) => ({ topic: tp.topic, partition: tp.partition })),
    groupEpoch: state.meta.groupEpoch,
  };
  return { state, write: true, reply };
}

/**
 * A group that is new, or classic with no members left: it becomes a
 * consumer group (its committed offsets stay). A classic group with members
 * is Kafka's GROUP_ID_NOT_FOUND for a consumer-protocol heartbeat.
 */
function fromClassic(loaded: GroupState | undefined, input: HeartbeatInput, env: StepEnv): GroupState {
  const fresh = emptyGroup(input.groupId, DEFAULT_ASSIGNOR, env.nowMs);
  if (loaded === undefined) return fresh;
  if (settleClassic(loaded, env.nowMs).state.members.length > 0) {
    throw new KafkalessError('GroupIdNotFound', `Group '${input.groupId}' is a classic group (JoinGroup/SyncGroup) with members; a consumer-protocol member cannot join it`, {
      context: { groupId: input.groupId },
    });
  }
  return { ...fresh, meta: { ...fresh.meta, groupEpoch: loaded.meta.groupEpoch, createdAtMs: loaded.meta.createdAtMs, version: loaded.meta.version } };
}

/** Request checks that need no state. */
function checkShape(loaded: GroupState | undefined, input: HeartbeatInput): void {
  if (loaded?.meta.state === 'DEAD') {
    throw new KafkalessError('CoordinatorLoadInProgress', `Group '${input.groupId}' is being deleted; retry shortly`, { context: { groupId: input.groupId } });
  }
  if (input.memberEpoch === JOIN_EPOCH && input.subscribedTopics === undefined && input.subscribedTopicRegex === undefined) {
    throw new KafkalessError('InvalidRequest', 'A member joins with a subscription: subscribedTopics or subscribedTopicRegex', { context: { field: 'subscribedTopics' } });
  }
  if (input.memberEpoch !== JOIN_EPOCH && input.memberId === '') {
    throw new KafkalessError('InvalidRequest', 'memberId must be given unless joining (memberEpoch 0)', { context: { field: 'memberId' } });
  }
  if (input.memberEpoch === STATIC_LEAVE_EPOCH && input.instanceId === undefined) {
    throw new KafkalessError('InvalidRequest', 'A static leave (memberEpoch -2) needs the instanceId', { context: { field: 'instanceId' } });
  }
  if (loaded === undefined && input.memberEpoch !== JOIN_EPOCH) {
    throw new KafkalessError('GroupIdNotFound', `Group '${input.groupId}' does not exist`, { context: { groupId: input.groupId } });
  }
}

function apply(state: GroupState, input: HeartbeatInput, env: StepEnv, expired: readonly GroupMember[]): Applied {
  const existing = state.members.find((m) => m.memberId === input.memberId);
  if (input.memberEpoch === JOIN_EPOCH) return join(state, input, env, existing);
  if (existing === undefined) throw unknownMember(input, expired);
  if (input.memberEpoch === LEAVE_EPOCH) {
    return { state: { ...state, members: state.members.filter((m) => m !== existing) }, member: undefined, membershipChanged: true, replyEpoch: LEAVE_EPOCH };
  }
  if (input.memberEpoch === STATIC_LEAVE_EPOCH) {
    if (existing.instanceId !== input.instanceId) throw fencedInstance(input);
    const member = { ...existing, leftStatic: true, lastHeartbeatMs: env.nowMs };
    return { state: replaceMember(state, member), member, membershipChanged: false, replyEpoch: STATIC_LEAVE_EPOCH };
  }
  return heartbeat(state, input, env, existing);
}

function heartbeat(state: GroupState, input: HeartbeatInput, env: StepEnv, existing: GroupMember): Applied {
  if (input.instanceId !== undefined && existing.instanceId !== input.instanceId) throw fencedInstance(input);
  checkEpoch(existing, input);
  const updated = withRequest(existing, input, env.nowMs);
  const member = acknowledgeRevocations(updated, input.ownedPartitions);
  return { state: replaceMember(state, member), member, membershipChanged: subscriptionChanged(existing, member) };
}

function join(state: GroupState, input: HeartbeatInput, env: StepEnv, existing: GroupMember | undefined): Applied {
  const staticOwner = input.instanceId === undefined ? undefined : state.members.find((m) => m.instanceId === input.instanceId);
  if (staticOwner !== undefined && staticOwner !== existing) {
    if (existing !== undefined) throw fencedInstance(input);
    return takeOverStatic(state, input, env, staticOwner);
  }
  if (existing !== undefined) {
    // The same member joins again (it lost its state): it holds nothing now.
    const member: GroupMember = { ...withRequest(existing, input, env.nowMs), assigned: [], revoking: [] };
    delete (member as { leftStatic?: boolean }).leftStatic;
    return { state: replaceMember(state, member), member, membershipChanged: subscriptionChanged(existing, member) };
  }
  const memberId = input.memberId !== '' ? input.memberId : env.newMemberId();
  const fresh: GroupMember = {
    memberId,
    ...(input.instanceId !== undefined ? { instanceId: input.instanceId } : {}),
    memberEpoch: 0,
    previousMemberEpoch: 0,
    assigned: [],
    revoking: [],
    lastHeartbeatMs: env.nowMs,
    sessionTimeoutMs: input.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
    joinOrder: state.meta.nextJoinOrder,
  };
  const member = withRequest(fresh, input, env.nowMs);
  const meta = { ...state.meta, nextJoinOrder: state.meta.nextJoinOrder + 1 };
  return { state: { meta, members: [...state.members, member] }, member, membershipChanged: true };
}

/**
 * A static member (same instanceId) joins again: it takes the old member's
 * place, target and partitions under its new member id, without a
 * rebalance; the old incarnation is fenced (its member id is gone).
 */
function takeOverStatic(state: GroupState, input: HeartbeatInput, env: StepEnv, old: GroupMember): Applied {
  const memberId = input.memberId !== '' ? input.memberId : env.newMemberId();
  const base: GroupMember = { ...old, memberId, lastHeartbeatMs: env.nowMs };
  delete (base as { leftStatic?: boolean }).leftStatic;
  const member = withRequest(base, input, env.nowMs);
  const target: Record<string, readonly TopicPartitionRef[]> = { ...state.meta.targetAssignment };
  if (target[old.memberId] !== undefined) {
    target[memberId] = target[old.memberId]!;
    delete target[old.memberId];
  }
  const members = state.members.filter((m) => m.memberId !== memberId).map((m) => (m === old ? member : m));
  return { state: { meta: { ...state.meta, targetAssignment: target }, members }, member, membershipChanged: subscriptionChanged(old, member) };
}

/** The member with this request's heartbeat time, session timeout, subscription and preferred assignor. */
function withRequest(member: GroupMember, input: HeartbeatInput, nowMs: number): GroupMember {
  const next: GroupMember = {
    ...member,
    lastHeartbeatMs: nowMs,
    sessionTimeoutMs: input.sessionTimeoutMs ?? member.sessionTimeoutMs,
    ...(input.assignor !== undefined ? { assignor: input.assignor } : {}),
    ...(input.clientId !== undefined ? { clientId: input.clientId } : {}),
    ...(input.clientHost !== undefined ? { clientHost: input.clientHost } : {}),
  };
  if (input.subscribedTopics !== undefined) {
    const { subscribedTopicRegex: _dropped, ...rest } = next;
    return { ...rest, subscribedTopics: [...new Set(input.subscribedTopics)].sort() };
  }
  if (input.subscribedTopicRegex !== undefined) {
    const { subscribedTopics: _dropped, ...rest } = next;
    return { ...rest, subscribedTopicRegex: input.subscribedTopicRegex };
  }
  return next;
}

function subscriptionChanged(before: GroupMember, after: GroupMember): boolean {
  if (before.subscribedTopicRegex !== after.subscribedTopicRegex) return true;
  const a = before.subscribedTopics ?? [];
  const b = after.subscribedTopics ?? [];
  return a.length !== b.length || a.some((t, i) => t !== b[i]);
}

/**
 * The epoch must be the member's, or its previous one when the reply that
 * moved it on was lost (then it may report only partitions it still holds).
 */
function checkEpoch(member: GroupMember, input: HeartbeatInput): void {
  if (member.leftStatic !== true && input.memberEpoch === member.memberEpoch) return;
  if (member.leftStatic !== true && input.memberEpoch === member.previousMemberEpoch) {
    const held = new Set(ownedBy(member).map(tpKey));
    if ((input.ownedPartitions ?? []).every((tp) => held.has(tpKey(tp)))) return;
  }
  throw new KafkalessError(
    'FencedMemberEpoch',
    `Member '${input.memberId}' of group '${input.groupId}' sent epoch ${input.memberEpoch}, but its epoch is ${member.leftStatic === true ? STATIC_LEAVE_EPOCH : member.memberEpoch}; it must rejoin`,
    { context: { groupId: input.groupId, memberId: input.memberId } },
  );
}

function reconcile(state: GroupState, member: GroupMember): GroupMember {
  const target = state.meta.targetAssignment[member.memberId] ?? [];
  return reconcileMember(member, target, heldByOthers(state, member.memberId), state.meta.assignmentEpoch);
}

function replaceMember(state: GroupState, member: GroupMember): GroupState {
  return { ...state, members: state.members.map((m) => (m.memberId === member.memberId ? member : m)) };
}

function unknownMember(input: HeartbeatInput, expired: readonly GroupMember[]): KafkalessError {
  const why = expired.some((m) => m.memberId === input.memberId) ? 'its session expired' : 'it is not a member';
  return new KafkalessError('UnknownMemberId', `Member '${input.memberId}' is unknown to group '${input.groupId}' (${why}); it must rejoin`, {
    context: { groupId: input.groupId, memberId: input.memberId },
  });
}

function fencedInstance(input: HeartbeatInput): KafkalessError {
  return new KafkalessError('FencedInstanceId', `Member '${input.memberId}' does not hold instance id '${input.instanceId ?? ''}' in group '${input.groupId}'`, {
    context: { groupId: input.groupId, memberId: input.memberId },
  });
}
