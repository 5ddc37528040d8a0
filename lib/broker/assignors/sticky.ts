import { constrainedAssign } from './sticky/constrained.js';
import { generalAssign } from './sticky/general.js';
import { readOwnedPartitions } from './sticky/owned-partitions.js';
import type { Assignment, Assignor, AssignInput, TopicPartition } from './types.js';
import { validateInput } from './validate-input.js';

/**
 * Kafka's `StickyAssignor` (without rack awareness): as balanced as the
 * subscriptions allow, keeping every owned partition that balance does not force
 * to move. Equal subscriptions take Kafka's constrained path (sizes differ by at
 * most one); differing subscriptions take its general path. Every owned partition
 * counts as current: the coordinator is the only source of ownership, so there are
 * no generations to compare.
 */
export function assignSticky(input: AssignInput): Assignment {
  const { members, partitionsPerTopic } = validateInput(input);
  if (members.length === 0) return {};
  const state = readOwnedPartitions(members, partitionsPerTopic);
  const result = state.allSubscriptionsEqual
    ? constrainedAssign(partitionsPerTopic, state)
    : generalAssign(members, partitionsPerTopic, state);
  const assignment: Record<string, TopicPartition[]> = {};
  for (const member of members) assignment[member.memberId] = result.get(member.memberId) ?? [];
  return assignment;
}

export const stickyAssignor: Assignor = { name: 'sticky', assign: assignSticky };
