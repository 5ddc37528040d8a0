/**
 * Heartbeats that change only the member's own item. The quiet heartbeat
 * changes nothing but the member's liveness (same epoch as the group's, the
 * member holds exactly its target, nothing to revoke, same subscription and
 * settings, its topics as the group last saw them): it reads the small meta
 * item and the member's own item in one request and updates only the
 * member's liveness, conditional on the member item not having changed since
 * (`mv`) and its session still running. A beat after a rebalance that moves
 * the member's epoch on, or starts or acknowledges its revocations, writes
 * its own item alone the same way. Neither writes anything the group shares
 * or reads another member; only granting a partition needs the group step.
 *
 * Members whose consumers died are found by a sweep: the meta says when the
 * earliest session may end (`sweepAtMs`); the first quiet beat that finds it
 * passed claims it (a conditional update of that one field) and runs a
 * whole-group step instead, which expires whom it must and sets the next.
 * Anything else, or a lost race, falls back to the whole-group step.
 */
import type { HeartbeatReply } from '../../protocol/group-replies.js';
import { ownedBy, sessionExpiresAtMs, tpKey, type GroupMember, type GroupMeta } from '../../storage/group-records.js';
import type { MemberView } from '../../storage/group-store.js';
import { heartbeatIntervalFor } from './defaults.js';
import type { GroupDeps } from './deps.js';
import type { HeartbeatInput } from './heartbeat-step.js';
import { acknowledgeRevocations, reconcileMember } from './reconcile.js';
import { subscribedTopicsOf, subscribesTo } from './target.js';
import type { TopicsView } from './topics-view.js';

/** The reply, when the beat changed only the member's own item and was written; undefined when it needs the whole-group step. */
export async function quietHeartbeat(deps: GroupDeps, input: HeartbeatInput): Promise<HeartbeatReply | undefined> {
  if (input.memberEpoch <= 0 || input.memberId === '') return undefined;
  const view = await deps.store.loadMember(input.groupId, input.memberId);
  if (view === undefined) return undefined;
  const nowMs = deps.now();
  const step = memberAloneStep(view, input, nowMs, await topicsFor(deps, view, input));
  if (step === undefined) return undefined;
  const { member, changed } = step;
  // Offsets of a partition it released move to the group's items: that takes the group step.
  const owned = new Set(ownedBy(member).map(tpKey));
  if (changed && view.stored.offsets.some((r) => !owned.has(tpKey(r)))) return undefined;
  const sweepAtMs = view.meta.sweepAtMs!;
  if (sweepAtMs <= nowMs && (await deps.store.claimSweep(input.groupId, sweepAtMs, nowMs + heartbeatIntervalFor(member.sessionTimeoutMs)))) return undefined;
  await deps.faults.at('group.beforeWrite', { groupId: input.groupId });
  const written = changed
    ? await deps.store.putMemberAlone(input.groupId, member, view.target, view.stored, nowMs)
    : await deps.store.touchMember({
        groupId: input.groupId,
        memberId: member.memberId,
        memberEpoch: member.memberEpoch,
        memberVersion: view.memberVersion,
        nowMs,
        sessionTimeoutMs: member.sessionTimeoutMs,
      });
  if (!written) return undefined;
  return {
    memberId: member.memberId,
    memberEpoch: member.memberEpoch,
    heartbeatIntervalMs: heartbeatIntervalFor(member.sessionTimeoutMs),
    assignment: member.assigned.map((tp) => ({ topic: tp.topic, partition: tp.partition })),
    groupEpoch: view.meta.groupEpoch,
  };
}

/** The topics the member's subscription names, read by key; the whole list only for a regex. */
function topicsFor(deps: GroupDeps, view: MemberView, input: HeartbeatInput): Promise<TopicsView> {
  const names = input.subscribedTopics ?? (input.subscribedTopicRegex === undefined ? view.member?.subscribedTopics : undefined);
  if (names === undefined || view.member?.subscribedTopicRegex !== undefined) return deps.topics.view(input.subscribedTopics);
  return deps.topics.viewOf(names);
}

export interface AloneStep {
  /** The member after this beat (its liveness moved on). */
  readonly member: GroupMember;
  /** False for a quiet beat: nothing but the liveness changed. */
  readonly changed: boolean;
}

/**
 * The beat as the whole-group step would take it, when that step would
 * change only this member's item: its target is computed (the group's epoch
 * is its assignment's), and reconciling it grants nothing (granting needs to
 * know what the others hold). So it may start or acknowledge revocations, or
 * move its epoch to the assignment's when it holds exactly its target.
 * Undefined when the whole-group step is needed.
 */
export function memberAloneStep(view: MemberView, input: HeartbeatInput, nowMs: number, topics: TopicsView): AloneStep | undefined {
  const { meta, member, target } = view;
  if (member === undefined || target === undefined || meta.state === 'DEAD' || meta.classic !== undefined || meta.sweepAtMs === undefined) return undefined;
  if (input.memberEpoch !== member.memberEpoch || meta.assignmentEpoch !== meta.groupEpoch) return undefined;
  if (member.leftStatic === true || sessionExpiresAtMs(member) <= nowMs) return undefined;
  if (!sameSettings(member, input) || !ownTopicsUnchanged(member, meta, topics)) return undefined;
  const acked = acknowledgeRevocations(member, input.ownedPartitions);
  // As if every target partition were held by another member: nothing is granted.
  const reconciled = reconcileMember(acked, target, new Set(target.map(tpKey)), meta.assignmentEpoch);
  const held = new Set(reconciled.assigned.map(tpKey));
  if (reconciled.revoking.length === 0 && target.some((tp) => !held.has(tpKey(tp)))) return undefined;
  return { member: { ...reconciled, lastHeartbeatMs: nowMs }, changed: JSON.stringify(reconciled) !== JSON.stringify(member) };
}

function sameSettings(member: GroupMember, input: HeartbeatInput): boolean {
  if (input.instanceId !== undefined && input.instanceId !== member.instanceId) return false;
  if (input.sessionTimeoutMs !== undefined && input.sessionTimeoutMs !== member.sessionTimeoutMs) return false;
  if (input.assignor !== undefined && input.assignor !== member.assignor) return false;
  if (input.clientId !== undefined && input.clientId !== member.clientId) return false;
  if (input.clientHost !== undefined && input.clientHost !== member.clientHost) return false;
  if (input.subscribedTopics !== undefined) {
    const asked = [...new Set(input.subscribedTopics)].sort();
    const had = member.subscribedTopics;
    if (member.subscribedTopicRegex !== undefined || had === undefined || had.length !== asked.length || had.some((t, i) => t !== asked[i])) return false;
  }
  if (input.subscribedTopicRegex !== undefined && input.subscribedTopicRegex !== member.subscribedTopicRegex) return false;
  return true;
}

/** The topics this member subscribes to are those the group's target was computed from, with the same ids and partition counts. */
function ownTopicsUnchanged(member: GroupMember, meta: GroupMeta, topics: TopicsView): boolean {
  const live = subscribedTopicsOf(member, topics);
  for (const name of live) {
    const seen = meta.topicsSnapshot[name];
    const now = topics.get(name)!;
    if (seen === undefined || seen.topicId !== now.topicId || seen.partitions !== now.partitions) return false;
  }
  const liveNames = new Set(live);
  return Object.keys(meta.topicsSnapshot).every((name) => liveNames.has(name) || !subscribesTo(member, name));
}
