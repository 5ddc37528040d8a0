/**
 * A topic's offsets per partition, as kafkajs's admin shapes them (offsets
 * as strings): built from the admin function's describeTopics (high
 * watermark and log start offset) and the fetch function's listOffsets
 * (the first offset at or after a time, through the time index).
 */
import type { AdminReplies } from '../protocol/admin-replies.js';
import type { ListOffsetsReply } from '../protocol/log-replies.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from '../protocol/offset-timestamps.js';
import { call, type Transport } from './transport.js';

export interface TopicPartitionOffsets {
  readonly partition: number;
  /** The high watermark (the next offset to be written). */
  readonly offset: string;
  readonly high: string;
  /** The log start offset. */
  readonly low: string;
}

/** kafkajs's SeekEntry: a partition and an offset (as a string). */
export interface SeekEntry {
  readonly partition: number;
  readonly offset: string;
}

async function describeOne(transport: Transport, topic: string): Promise<AdminReplies['describeTopics']['topics'][number]> {
  const reply = await call<AdminReplies['describeTopics']>(transport, 'admin', { action: 'describeTopics', topics: [topic] });
  return reply.topics[0]!;
}

/** Kafka's ListOffsets specs: a time in epoch ms, or the log's two ends. */
export type OffsetSpec = number | 'earliest' | 'latest';

export interface ListedPartitionOffset {
  readonly partition: number;
  /** '-1' when no record has a timestamp at or after the one asked. */
  readonly offset: string;
  /** The found record's timestamp; '-1' for earliest, latest and not found. */
  readonly timestamp: string;
}

/** Per partition (all, or those named), the offset for `spec`, as Kafka's Admin.listOffsets answers. */
export async function listOffsets(transport: Transport, topic: string, spec: OffsetSpec, partitions?: readonly number[]): Promise<ListedPartitionOffset[]> {
  const asked = partitions ?? (await describeOne(transport, topic)).partitions.map((p) => p.partition);
  if (asked.length === 0) return [];
  const timestamp = spec === 'earliest' ? EARLIEST_TIMESTAMP : spec === 'latest' ? LATEST_TIMESTAMP : spec;
  const reply = await call<ListOffsetsReply>(transport, 'fetch', { action: 'listOffsets', partitions: asked.map((partition) => ({ topic, partition, timestamp })) });
  return reply.partitions.map((p) => ({ partition: p.partition, offset: String(p.offset), timestamp: String(p.timestamp) }));
}

export async function fetchTopicOffsets(transport: Transport, topic: string): Promise<TopicPartitionOffsets[]> {
  const described = await describeOne(transport, topic);
  return described.partitions.map((p) => ({ partition: p.partition, offset: String(p.highWatermark), high: String(p.highWatermark), low: String(p.logStartOffset) }));
}

/**
 * Per partition, the first offset whose timestamp is at or after `timestamp`
 * (epoch ms); where no record is that late, the high watermark, as kafkajs
 * answers. Without a timestamp, the high watermark.
 */
export async function fetchTopicOffsetsByTimestamp(transport: Transport, topic: string, timestamp?: number): Promise<SeekEntry[]> {
  const described = await describeOne(transport, topic);
  const reply = await call<ListOffsetsReply>(transport, 'fetch', {
    action: 'listOffsets',
    partitions: described.partitions.map((p) => ({ topic, partition: p.partition, timestamp: timestamp ?? LATEST_TIMESTAMP })),
  });
  return reply.partitions.map((p) => {
    const high = described.partitions.find((d) => d.partition === p.partition)!.highWatermark;
    return { partition: p.partition, offset: String(p.offset >= 0 ? p.offset : high) };
  });
}
