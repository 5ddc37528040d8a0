/** What a consumer hands out: records, kafkajs's message shape, and the run() payloads. */
import type { RecordHeader } from '../../log/index.js';
import { topicPartitionKey } from '../../protocol/topic-partition-key.js';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** kafkajs's shape for pause/resume: a topic, and its partitions (all of them when left out). */
export interface TopicPartitions {
  readonly topic: string;
  readonly partitions?: readonly number[];
}

export interface ConsumerRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
}

/** kafkajs's message shape: offsets and timestamps as strings, headers as an object. */
export interface KafkaMessage {
  readonly offset: string;
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer | null | (Buffer | null)[]>;
}

export interface EachMessagePayload {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
  /** Heartbeats run in the background; accepted for kafkajs code, resolves at once. */
  heartbeat(): Promise<void>;
  /** Pauses this partition: the rest of its fetched records are not delivered; returns a function that resumes it. */
  pause(): () => void;
}

/** Next offsets to commit, per topic, as kafkajs's `uncommittedOffsets()` returns them. */
export interface OffsetsByTopicPartition {
  readonly topics: { readonly topic: string; readonly partitions: { readonly partition: number; readonly offset: string }[] }[];
}

export interface Batch {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: string;
  readonly messages: KafkaMessage[];
  isEmpty(): boolean;
  firstOffset(): string | null;
  lastOffset(): string;
  /** High watermark minus one minus the last offset: how far the batch's end is behind the log's end. */
  offsetLag(): string;
  /** High watermark minus one minus the first offset. */
  offsetLagLow(): string;
}

export interface EachBatchPayload {
  readonly batch: Batch;
  /** Marks this offset processed: the group may commit the offset after it. */
  resolveOffset(offset: string | number): void;
  heartbeat(): Promise<void>;
  /** Pauses this partition; records not resolved are fetched again after resume. Returns a function that resumes it. */
  pause(): () => void;
  /** Commits the resolved offsets when auto-commit is due (or these offsets now). */
  commitOffsetsIfNecessary(offsets?: OffsetsByTopicPartition): Promise<void>;
  uncommittedOffsets(): OffsetsByTopicPartition;
  isRunning(): boolean;
  /** True once this batch's partition was revoked, lost or sought elsewhere: stop processing it. */
  isStale(): boolean;
}

export interface RunOptions {
  readonly eachMessage?: (payload: EachMessagePayload) => Promise<void>;
  readonly eachBatch?: (payload: EachBatchPayload) => Promise<void>;
  /** With eachBatch: a batch whose callback returned counts as processed in full. Default true. */
  readonly eachBatchAutoResolve?: boolean;
  /** Partitions handed to the callbacks at once; order is kept within a partition. Default 1. */
  readonly partitionsConsumedConcurrently?: number;
  /** Told of each failure the loop survives (it also emits consumer.retry). */
  readonly onError?: (err: unknown) => void;
}

export const tpKey = (tp: TopicPartition): string => topicPartitionKey(tp.topic, tp.partition);

export function toKafkaMessage(r: ConsumerRecord): KafkaMessage {
  const headers: Record<string, Buffer | null | (Buffer | null)[]> = {};
  for (const h of r.headers) {
    const existing = headers[h.key];
    if (existing === undefined) headers[h.key] = h.value;
    else headers[h.key] = Array.isArray(existing) ? [...existing, h.value] : [existing, h.value];
  }
  return { offset: String(r.offset), timestamp: String(r.timestamp), key: r.key, value: r.value, headers };
}

/** Groups next-offsets by topic, as kafkajs shapes them. */
export function offsetsByTopic(offsets: Iterable<{ topic: string; partition: number; offset: number }>): OffsetsByTopicPartition {
  const byTopic = new Map<string, { partition: number; offset: string }[]>();
  for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), { partition: o.partition, offset: String(o.offset) }]);
  return { topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) };
}
