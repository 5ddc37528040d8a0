import { KafkalessError } from '../../errors.js';
import type { AssignInput, AssignorMember } from './types.js';

/**
 * The input with its checks done: member ids unique, partition counts whole
 * numbers >= 0, each member's topics without duplicates, and `partitionsPerTopic`
 * narrowed to topics somebody subscribes to (as a Kafka assignor is given them).
 */
export interface ValidInput {
  members: AssignorMember[];
  partitionsPerTopic: Map<string, number>;
}

export function validateInput(input: AssignInput): ValidInput {
  const seen = new Set<string>();
  for (const member of input.members) {
    if (seen.has(member.memberId)) {
      throw new KafkalessError('InvalidRequest', `Member id ${member.memberId} appears more than once`, {
        context: { field: 'members', memberId: member.memberId },
      });
    }
    seen.add(member.memberId);
  }
  const members = input.members.map((m) => ({ ...m, topics: [...new Set(m.topics)] }));
  const subscribed = new Set(members.flatMap((m) => m.topics));
  const partitionsPerTopic = new Map<string, number>();
  for (const [topic, count] of Object.entries(input.partitionsPerTopic)) {
    if (!Number.isInteger(count) || count < 0) {
      throw new KafkalessError('InvalidRequest', `Topic ${topic} has an invalid partition count ${count}`, {
        context: { topic, field: 'partitionsPerTopic' },
      });
    }
    if (subscribed.has(topic)) partitionsPerTopic.set(topic, count);
  }
  return { members, partitionsPerTopic };
}
