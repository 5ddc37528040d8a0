import { sortMembers } from './member-order.js';
import { partitionsOf, sortTopics } from './topic-partitions.js';
import type { Assignment, Assignor, AssignInput, TopicPartition } from './types.js';
import { validateInput } from './validate-input.js';

/**
 * Kafka's `RoundRobinAssignor`: members sorted once by Kafka's member order; the
 * partitions of all subscribed topics, topics in name order and partitions
 * ascending, are dealt in turn, skipping members not subscribed to a partition's
 * topic.
 */
export function assignRoundRobin(input: AssignInput): Assignment {
  const { members, partitionsPerTopic } = validateInput(input);
  const assignment: Record<string, TopicPartition[]> = {};
  for (const member of members) assignment[member.memberId] = [];

  const ring = sortMembers(members);
  let cursor = 0;
  for (const topic of sortTopics(partitionsPerTopic.keys())) {
    for (const tp of partitionsOf(topic, partitionsPerTopic.get(topic)!)) {
      while (!ring[cursor % ring.length]!.topics.includes(topic)) cursor++;
      assignment[ring[cursor % ring.length]!.memberId]!.push(tp);
      cursor++;
    }
  }
  return assignment;
}

export const roundRobinAssignor: Assignor = { name: 'roundrobin', assign: assignRoundRobin };
