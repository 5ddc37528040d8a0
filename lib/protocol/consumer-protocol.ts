/**
 * Kafka's ConsumerProtocol bytes (version 0), as classic groups carry them
 * in JoinGroup and SyncGroup and kafkajs hands them out in describeGroups:
 * a subscription (memberMetadata) and an assignment (memberAssignment).
 * Both are: int16 version, an array of topics, nullable bytes of user data;
 * an assignment's topics each carry an int32 array of partitions.
 */
import type { GroupTopicPartition, MemberDescription } from './group-replies.js';

export interface TopicPartitionList {
  readonly topic: string;
  readonly partitions: number[];
}

/** Partitions grouped by topic, topics in the order they first appear, each topic's partitions sorted. */
export function partitionsByTopic(tps: readonly GroupTopicPartition[]): TopicPartitionList[] {
  const out = new Map<string, number[]>();
  for (const tp of tps) out.set(tp.topic, [...(out.get(tp.topic) ?? []), tp.partition]);
  return [...out].map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) }));
}

function int16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

function string(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([int16(bytes.length), bytes]);
}

const EMPTY_USER_DATA = int32(0);

/** ConsumerProtocolSubscription v0: the topics a member subscribes to. */
export function encodeSubscription(topics: readonly string[]): Buffer {
  return Buffer.concat([int16(0), int32(topics.length), ...topics.map(string), EMPTY_USER_DATA]);
}

/** ConsumerProtocolAssignment v0: the partitions assigned to a member, per topic. */
export function encodeAssignment(assignment: readonly { topic: string; partitions: readonly number[] }[]): Buffer {
  const topics = assignment.map((t) => Buffer.concat([string(t.topic), int32(t.partitions.length), ...t.partitions.map(int32)]));
  return Buffer.concat([int16(0), int32(assignment.length), ...topics, EMPTY_USER_DATA]);
}

/**
 * A member's bytes as DescribeGroups gives them: a classic member's own
 * (the protocol metadata it joined with, the assignment it was given), a
 * KIP-848 member's encoded from its subscription (its topics; a regex
 * member's, the topics it is assigned) and its assignment.
 */
export function memberProtocolBytes(m: MemberDescription): { metadata: Buffer; assignment: Buffer } {
  if (m.metadata !== undefined || m.assignmentBytes !== undefined) {
    return { metadata: Buffer.from(m.metadata ?? '', 'base64'), assignment: Buffer.from(m.assignmentBytes ?? '', 'base64') };
  }
  const assignment = partitionsByTopic(m.assignment);
  return { metadata: encodeSubscription(m.subscribedTopics ?? assignment.map((t) => t.topic)), assignment: encodeAssignment(assignment) };
}
