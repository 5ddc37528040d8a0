/**
 * A subscription's filter criteria: which records the function is invoked
 * with. As AWS's Kafka event source mappings, a pattern's `value` is the
 * record's value, parsed when it is JSON (else its UTF-8 text); kafkaless
 * also reads `key` (UTF-8 text), `headers` (name → UTF-8 text, a list when
 * the name repeats) and the record's `topic`, `partition`, `offset`,
 * `timestamp`. A record matching no pattern is not delivered: its offset is
 * committed with the records around it, as AWS does. Pure.
 */
import { anyPatternMatcher } from '../event-pattern.js';
import type { DeliveredRecord } from './msk-event.js';

export interface FilterableRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key?: string;
  readonly value?: unknown;
  readonly headers: Readonly<Record<string, string | null | readonly (string | null)[]>>;
}

export function filterableRecord(record: DeliveredRecord): FilterableRecord {
  const headers: Record<string, (string | null)[]> = {};
  for (const h of record.headers) (headers[h.key] ??= []).push(h.value === null ? null : h.value.toString('utf8'));
  return {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    ...(record.key !== null ? { key: record.key.toString('utf8') } : {}),
    ...(record.value !== null ? { value: jsonOrText(record.value.toString('utf8')) } : {}),
    headers: Object.fromEntries(Object.entries(headers).map(([name, values]) => [name, values.length === 1 ? values[0]! : values])),
  };
}

/** The filter of a subscription's patterns (JSON strings); undefined when it has none (every record is delivered). */
export function recordFilter(patterns: readonly string[] | undefined): ((record: DeliveredRecord) => boolean) | undefined {
  if (patterns === undefined || patterns.length === 0) return undefined;
  const matches = anyPatternMatcher(patterns);
  return (record) => matches(filterableRecord(record));
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
