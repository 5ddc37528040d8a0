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

/**
 * The partitions of a ConsumerProtocolAssignment (versions 0-3 share this
 * layout), or undefined when the bytes are not one (a classic group of
 * another protocol type, or a client's own format).
 */
export function decodeAssignment(bytes: Buffer): { topic: string; partitions: number[] }[] | undefined {
  try {
    let at = 2;
    const topics: { topic: string; partitions: number[] }[] = [];
    const topicCount = bytes.readInt32BE(at);
    at += 4;
    if (topicCount < 0 || topicCount > 100_000) return undefined;
    for (let t = 0; t < topicCount; t++) {
      const length = bytes.readInt16BE(at);
      at += 2;
      if (length < 0 || at + length > bytes.length) return undefined;
      const topic = bytes.toString('utf8', at, at + length);
      at += length;
      const count = bytes.readInt32BE(at);
      at += 4;
      if (count < 0 || at + count * 4 > bytes.length) return undefined;
      const partitions: number[] = [];
      for (let p = 0; p < count; p++, at += 4) partitions.push(bytes.readInt32BE(at));
      topics.push({ topic, partitions });
    }
    return topics;
  } catch {
    return undefined;
  }
}

/**
 * The topics of a ConsumerProtocolSubscription (every version starts with
 * them), or undefined when the bytes are not one.
 */
export function decodeSubscriptionTopics(bytes: Buffer): string[] | undefined {
  try {
    let at = 2;
    const count = bytes.readInt32BE(at);
    at += 4;
    if (count < 0 || count > 100_000) return undefined;
    const topics: string[] = [];
    for (let t = 0; t < count; t++) {
      const length = bytes.readInt16BE(at);
      at += 2;
      if (length < 0 || at + length > bytes.length) return undefined;
      topics.push(bytes.toString('utf8', at, at + length));
      at += length;
    }
    return topics;
  } catch {
    return undefined;
  }
}
