import { topicPartitionKey } from '../../protocol/topic-partition-key.js';
import { compareJavaStrings } from './java-order.js';
import type { TopicPartition } from './types.js';

/** A map key for one partition. */
export function partitionKey(tp: TopicPartition): string {
  return topicPartitionKey(tp.topic, tp.partition);
}

/** Partitions 0..count-1 of a topic. */
export function partitionsOf(topic: string, count: number): TopicPartition[] {
  return Array.from({ length: count }, (_, partition) => ({ topic, partition }));
}

/** Orders by topic (Java string order), then partition. */
export function compareByTopicThenPartition(a: TopicPartition, b: TopicPartition): number {
  return compareJavaStrings(a.topic, b.topic) || a.partition - b.partition;
}

/** Orders by partition number, then topic. */
export function compareByPartitionThenTopic(a: TopicPartition, b: TopicPartition): number {
  return a.partition - b.partition || compareJavaStrings(a.topic, b.topic);
}

/** Topic names sorted in Java string order. */
export function sortTopics(topics: Iterable<string>): string[] {
  return [...topics].sort(compareJavaStrings);
}
