import type { AssignInput, Assignment, AssignorMember, TopicPartition } from '../../lib/broker/assignors/index.js';

export const tpKey = (tp: TopicPartition): string => `${tp.topic}-${tp.partition}`;

/** Kafka's `TopicPartition.toString` notation; the partition follows the last '-'. */
export function parsePartition(text: string): TopicPartition {
  const dash = text.lastIndexOf('-');
  return { topic: text.slice(0, dash), partition: Number(text.slice(dash + 1)) };
}

export function toNotation(assignment: Assignment): Record<string, string[]> {
  return Object.fromEntries(Object.entries(assignment).map(([id, list]) => [id, list.map(tpKey)]));
}

export function sortedNotation(assignment: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(assignment).map(([id, list]) => [id, [...list].sort()]));
}

/** Problems with validity: partitions of unsubscribed or unknown topics, or given twice. */
export function validityProblems(input: AssignInput, assignment: Assignment): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const member of input.members) {
    const list = assignment[member.memberId];
    if (list === undefined) {
      problems.push(`${member.memberId} missing from the result`);
      continue;
    }
    for (const tp of list) {
      const count = input.partitionsPerTopic[tp.topic];
      if (!member.topics.includes(tp.topic)) problems.push(`${tpKey(tp)} given to non-subscriber ${member.memberId}`);
      if (count === undefined || tp.partition < 0 || tp.partition >= count) problems.push(`${tpKey(tp)} does not exist`);
      if (seen.has(tpKey(tp))) problems.push(`${tpKey(tp)} given twice`);
      seen.add(tpKey(tp));
    }
  }
  if (Object.keys(assignment).length !== input.members.length) problems.push('result has members not in the input');
  return problems;
}

/** Partitions of subscribed, existing topics that nobody got. */
export function unassignedPartitions(input: AssignInput, assignment: Assignment): string[] {
  const given = new Set(Object.values(assignment).flat().map(tpKey));
  const subscribed = new Set(input.members.flatMap((m) => m.topics));
  const missing: string[] = [];
  for (const [topic, count] of Object.entries(input.partitionsPerTopic)) {
    if (!subscribed.has(topic)) continue;
    for (let p = 0; p < count; p++) if (!given.has(`${topic}-${p}`)) missing.push(`${topic}-${p}`);
  }
  return missing;
}

/**
 * Kafka's `verifyValidityAndBalance` balance rule: when two members' sizes differ
 * by more than one, they hold no partitions of a common topic.
 */
export function balanceProblems(assignment: Assignment): string[] {
  const entries = Object.entries(assignment);
  const problems: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const [a, la] = entries[i]!;
      const [b, lb] = entries[j]!;
      if (Math.abs(la.length - lb.length) <= 1) continue;
      const topicsA = new Set(la.map((tp) => tp.topic));
      const shared = lb.filter((tp) => topicsA.has(tp.topic));
      if (shared.length > 0) problems.push(`${a} (${la.length}) and ${b} (${lb.length}) share topic ${shared[0]!.topic}`);
    }
  }
  return problems;
}

export function sizeSpread(assignment: Assignment): number {
  const sizes = Object.values(assignment).map((l) => l.length);
  return sizes.length === 0 ? 0 : Math.max(...sizes) - Math.min(...sizes);
}

/** Members subscribing to `topics`, each owning what `previous` gave it. */
export function membersOwning(ids: string[], topics: string[], previous: Assignment = {}): AssignorMember[] {
  return ids.map((memberId) => ({ memberId, topics, owned: previous[memberId] ?? [] }));
}

/**
 * The first round of Kafka's cooperative protocol: partitions that move from one
 * member to another are withheld from their new owner until the old one revokes them.
 */
export function withholdMoving(members: AssignorMember[], target: Assignment): Assignment {
  const ownedBy = new Map<string, string>();
  for (const m of members) for (const tp of m.owned ?? []) ownedBy.set(tpKey(tp), m.memberId);
  const revoked = new Set<string>();
  for (const m of members) {
    const kept = new Set((target[m.memberId] ?? []).map(tpKey));
    for (const tp of m.owned ?? []) if (!kept.has(tpKey(tp))) revoked.add(tpKey(tp));
  }
  return Object.fromEntries(
    Object.entries(target).map(([id, list]) => [id, list.filter((tp) => !(revoked.has(tpKey(tp)) && ownedBy.get(tpKey(tp)) !== id))]),
  );
}
