/**
 * The target assignment and what makes it change. A rebalance bumps the
 * group epoch and recomputes the target with the group's assignor when the
 * members, their subscriptions, the chosen assignor, or the metadata of the
 * subscribed topics (created, deleted, grown) differ from what the current
 * target was computed from.
 */
import { assignors, isAssignorName, type AssignorMember, type AssignorName } from '../assignors/index.js';
import { compareTps, type GroupMember, type GroupMeta, type GroupState, type TopicPartitionRef, type TopicSnapshot } from '../../storage/group-records.js';
import { DEFAULT_ASSIGNOR } from './defaults.js';
import type { TopicsView } from './topics-view.js';
import { compileTopicRegex } from './validate.js';

const regexCache = new Map<string, RegExp>();

function topicRegex(source: string): RegExp {
  let re = regexCache.get(source);
  if (re === undefined) {
    re = compileTopicRegex(source);
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(source, re);
  }
  return re;
}

/** Whether a member's subscription names (or its regex matches) a topic. */
export function subscribesTo(member: GroupMember, name: string): boolean {
  if (member.subscribedTopicRegex !== undefined) return topicRegex(member.subscribedTopicRegex).test(name);
  return (member.subscribedTopics ?? []).includes(name);
}

/** The live topics a member subscribes to, sorted. */
export function subscribedTopicsOf(member: GroupMember, topics: TopicsView): string[] {
  if (member.subscribedTopicRegex !== undefined) {
    const re = topicRegex(member.subscribedTopicRegex);
    return [...topics.keys()].filter((name) => re.test(name)).sort();
  }
  return [...new Set(member.subscribedTopics ?? [])].filter((name) => topics.has(name)).sort();
}

/** The metadata of every topic some member subscribes to. */
export function subscriptionSnapshot(members: readonly GroupMember[], topics: TopicsView): Record<string, TopicSnapshot> {
  const snapshot: Record<string, TopicSnapshot> = {};
  for (const member of members) {
    for (const name of subscribedTopicsOf(member, topics)) snapshot[name] = topics.get(name)!;
  }
  return snapshot;
}

export function sameSnapshot(a: Readonly<Record<string, TopicSnapshot>>, b: Readonly<Record<string, TopicSnapshot>>): boolean {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  return names.every((n) => b[n] !== undefined && b[n].topicId === a[n]!.topicId && b[n].partitions === a[n]!.partitions);
}

/** The assignor most members prefer (ties: the current one, then by name); the default when none names one. */
export function chooseAssignor(members: readonly GroupMember[], current: string): AssignorName {
  const votes = new Map<AssignorName, number>();
  for (const m of members) if (m.assignor !== undefined && isAssignorName(m.assignor)) votes.set(m.assignor, (votes.get(m.assignor) ?? 0) + 1);
  if (votes.size === 0) return isAssignorName(current) ? current : DEFAULT_ASSIGNOR;
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1] || Number(b[0] === current) - Number(a[0] === current) || (a[0] < b[0] ? -1 : 1));
  return ranked[0]![0];
}

export function computeTarget(
  members: readonly GroupMember[],
  topics: TopicsView,
  snapshot: Readonly<Record<string, TopicSnapshot>>,
  assignor: AssignorName,
  previous: GroupMeta['targetAssignment'],
): Record<string, TopicPartitionRef[]> {
  const input: AssignorMember[] = members.map((m) => ({
    memberId: m.memberId,
    ...(m.instanceId !== undefined ? { instanceId: m.instanceId } : {}),
    topics: subscribedTopicsOf(m, topics),
    owned: (previous[m.memberId] ?? []).map((tp) => ({ topic: tp.topic, partition: tp.partition })),
  }));
  const partitionsPerTopic = Object.fromEntries(Object.entries(snapshot).map(([name, s]) => [name, s.partitions]));
  const result = assignors[assignor].assign({ members: input, partitionsPerTopic });
  const target: Record<string, TopicPartitionRef[]> = {};
  for (const m of members) target[m.memberId] = [...(result[m.memberId] ?? [])].sort(compareTps);
  return target;
}

/** Why the group needs a new target now, or undefined when the current one stands. */
export function rebalanceReason(state: GroupState, topics: TopicsView, membershipChanged: boolean): string | undefined {
  if (membershipChanged) return 'members or subscriptions changed';
  const { meta, members } = state;
  const targetIds = Object.keys(meta.targetAssignment);
  if (targetIds.length !== members.length || members.some((m) => meta.targetAssignment[m.memberId] === undefined)) return 'members changed';
  if (chooseAssignor(members, meta.assignor) !== meta.assignor) return 'assignor changed';
  if (!sameSnapshot(subscriptionSnapshot(members, topics), meta.topicsSnapshot)) return 'topic metadata changed';
  return undefined;
}

/** Bumps the group epoch and recomputes the target, when something calls for it. */
export function rebalanceIfNeeded(state: GroupState, topics: TopicsView, membershipChanged: boolean): GroupState {
  if (rebalanceReason(state, topics, membershipChanged) === undefined) return state;
  const assignor = chooseAssignor(state.members, state.meta.assignor);
  const snapshot = subscriptionSnapshot(state.members, topics);
  const groupEpoch = state.meta.groupEpoch + 1;
  const targetAssignment = computeTarget(state.members, topics, snapshot, assignor, state.meta.targetAssignment);
  return {
    ...state,
    meta: { ...state.meta, groupEpoch, assignmentEpoch: groupEpoch, assignor, targetAssignment, topicsSnapshot: snapshot },
  };
}
