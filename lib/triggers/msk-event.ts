/**
 * The event a subscribed function receives: the shape of AWS Lambda's
 * Amazon MSK / self-managed Kafka event, so a handler written for MSK (one
 * using Powertools' Kafka consumer utility included) runs unchanged.
 * Records are grouped by `<topic>-<partition>`; key and value are base64;
 * each header is one object `{ name: [bytes] }`. Pure.
 */
import type { RecordHeader, TimestampType } from '../log/index.js';

export type KafkaEventSource = 'aws:kafka' | 'SelfManagedKafka';

export interface KafkaEventRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly timestampType: 'CREATE_TIME' | 'LOG_APPEND_TIME';
  /** Base64; absent for a record without a key, as AWS leaves it out. */
  readonly key?: string;
  /** Base64; absent for a null value (a tombstone). */
  readonly value?: string;
  readonly headers: readonly Readonly<Record<string, number[]>>[];
}

export interface KafkaEvent {
  readonly eventSource: KafkaEventSource;
  readonly eventSourceArn: string;
  readonly bootstrapServers: string;
  readonly records: Readonly<Record<string, readonly KafkaEventRecord[]>>;
  /** Only in a connector's event (docs/CONNECT.md): the partition's log end offset when the batch was read. */
  readonly kafkaless?: { readonly logEndOffset: number };
}

/** One record as the dispatcher read it from the log. */
export interface DeliveredRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly timestampType: TimestampType;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
}

export interface KafkaEventSourceInfo {
  readonly eventSource: KafkaEventSource;
  readonly eventSourceArn: string;
  readonly bootstrapServers: string;
}

/** The `records` key of a partition: `<topic>-<partition>`, as AWS groups them. */
export function recordsKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

export function toKafkaEventRecord(record: DeliveredRecord): KafkaEventRecord {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    timestampType: record.timestampType === 'LogAppendTime' ? 'LOG_APPEND_TIME' : 'CREATE_TIME',
    ...(record.key !== null ? { key: record.key.toString('base64') } : {}),
    ...(record.value !== null ? { value: record.value.toString('base64') } : {}),
    headers: record.headers.map((h) => ({ [h.key]: h.value === null ? [] : [...h.value] })),
  };
}

/** The event for these records, grouped by partition in the order given. */
export function buildKafkaEvent(source: KafkaEventSourceInfo, records: readonly DeliveredRecord[], logEndOffset?: number): KafkaEvent {
  const grouped: Record<string, KafkaEventRecord[]> = {};
  for (const record of records) {
    const key = recordsKey(record.topic, record.partition);
    (grouped[key] ??= []).push(toKafkaEventRecord(record));
  }
  return {
    eventSource: source.eventSource,
    eventSourceArn: source.eventSourceArn,
    bootstrapServers: source.bootstrapServers,
    records: grouped,
    ...(logEndOffset !== undefined ? { kafkaless: { logEndOffset } } : {}),
  };
}

/** The MSK-style ARN an event names its source by: the cluster is the stack. */
export function kafkalessEventSourceArn(region: string, accountId: string, clusterName: string): string {
  return `arn:aws:kafka:${region}:${accountId}:cluster/kafkaless/${clusterName}`;
}
