import { sortMembers } from './member-order.js';
import { sortTopics } from './topic-partitions.js';
import type { Assignment, Assignor, AssignInput, TopicPartition } from './types.js';
import { validateInput } from './validate-input.js';

/**
 * Kafka's `RangeAssignor` (without rack awareness): for each topic separately the
 * subscribers are sorted by Kafka's member order; with P partitions and C
 * subscribers each gets floor(P / C) consecutive partitions and the first P % C get
 * one more.
 */
export function assignRange(input: AssignInput): Assignment {
  const { members, partitionsPerTopic } = validateInput(input);
  const assignment: Record<string, TopicPartition[]> = {};
  for (const member of members) assignment[member.memberId] = [];

  for (const topic of sortTopics(partitionsPerTopic.keys())) {
    const count = partitionsPerTopic.get(topic)!;
    const subscribers = sortMembers(members.filter((m) => m.topics.includes(topic)));
    if (count === 0 || subscribers.length === 0) continue;
    const perMember = Math.floor(count / subscribers.length);
    const withExtra = count % subscribers.length;
    let next = 0;
    subscribers.forEach((member, i) => {
      const share = perMember + (i < withExtra ? 1 : 0);
      for (let p = next; p < next + share; p++) assignment[member.memberId]!.push({ topic, partition: p });
      next += share;
    });
  }
  return assignment;
}

export const rangeAssignor: Assignor = { name: 'range', assign: assignRange };
