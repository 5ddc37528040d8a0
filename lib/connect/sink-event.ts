/**
 * What a sink connector's function is given: the MSK-shaped event of a
 * subscription (docs/TRIGGERS.md), one partition's records, plus the
 * partition's log end offset the trigger adds for connectors. Read back
 * into records with their bytes. Pure.
 */
import type { ConsumerRecord } from '../client/consumer/records.js';
import { KafkalessError } from '../errors.js';

/** A record as a sink reads it: the consumer's record. */
export type SinkRecord = ConsumerRecord;

export interface SinkBatch {
  readonly topic: string;
  readonly partition: number;
  /** In offset order. */
  readonly records: readonly SinkRecord[];
  readonly logEndOffset: number;
}

interface EventRecord {
  readonly topic?: unknown;
  readonly partition?: unknown;
  readonly offset?: unknown;
  readonly timestamp?: unknown;
  readonly key?: unknown;
  readonly value?: unknown;
  readonly headers?: unknown;
}

const bad = (message: string): KafkalessError => new KafkalessError('InvalidRequest', `Not a connector's subscription event: ${message}`);

function bytes(value: unknown, field: string): Buffer | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw bad(`${field} is not base64`);
  return Buffer.from(value, 'base64');
}

function headersOf(value: unknown, field: string): SinkRecord['headers'] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw bad(`${field} is not a list`);
  return value.flatMap((h: unknown) =>
    typeof h === 'object' && h !== null ? Object.entries(h as Record<string, unknown>).map(([key, v]) => ({ key, value: Array.isArray(v) && v.length > 0 ? Buffer.from(v as number[]) : null })) : [],
  );
}

/** The batches of the event, one per partition (a subscription's event holds one). */
export function sinkBatches(event: unknown): SinkBatch[] {
  if (typeof event !== 'object' || event === null) throw bad('not an object');
  const { records, kafkaless } = event as { records?: unknown; kafkaless?: { logEndOffset?: unknown } };
  if (typeof records !== 'object' || records === null) throw bad('no records');
  const logEndOffset = kafkaless?.logEndOffset;
  if (typeof logEndOffset !== 'number') throw bad('no kafkaless.logEndOffset (is the function subscribed as a connector?)');
  return Object.entries(records as Record<string, unknown>).map(([key, list]) => {
    if (!Array.isArray(list) || list.length === 0) throw bad(`records.${key} is not a list of records`);
    const parsed = (list as EventRecord[]).map((r, i): SinkRecord => {
      const field = `records.${key}[${i}]`;
      if (typeof r.topic !== 'string' || typeof r.partition !== 'number' || typeof r.offset !== 'number' || typeof r.timestamp !== 'number') throw bad(`${field} lacks topic, partition, offset or timestamp`);
      return { topic: r.topic, partition: r.partition, offset: r.offset, timestamp: r.timestamp, key: bytes(r.key, `${field}.key`), value: bytes(r.value, `${field}.value`), headers: headersOf(r.headers, `${field}.headers`) };
    });
    return { topic: parsed[0]!.topic, partition: parsed[0]!.partition, records: parsed, logEndOffset };
  });
}
