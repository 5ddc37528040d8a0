/**
 * The on-failure topic: records a subscription gave up on, appended to a
 * kafkaless topic with their own key, value and headers, plus headers saying
 * where they came from and why. Produced with the idempotent producer and
 * awaited before the subscription's offset moves past them, so a record is
 * either delivered, or in the dead-letter topic (at least once), never lost.
 */
import { Producer } from '../client/producer/producer.js';
import type { Message } from '../client/producer/message.js';
import type { Transport } from '../client/transport.js';
import type { DeliveredRecord } from './msk-event.js';

export type FailureReason = 'RetriesExhausted' | 'RecordExpired';

/** Header names of a dead-lettered record. */
export const DEAD_LETTER_HEADERS = {
  topic: 'kafkaless.dlt.topic',
  partition: 'kafkaless.dlt.partition',
  offset: 'kafkaless.dlt.offset',
  subscription: 'kafkaless.dlt.subscription',
  reason: 'kafkaless.dlt.reason',
  error: 'kafkaless.dlt.error',
  attempts: 'kafkaless.dlt.attempts',
} as const;

export interface DeadLetterInfo {
  readonly subscription: string;
  readonly reason: FailureReason;
  /** The last error, when there was one. */
  readonly error?: string;
  readonly attempts: number;
}

export function deadLetterMessage(record: DeliveredRecord, info: DeadLetterInfo): Message {
  const headers: Record<string, (string | Buffer | null)[]> = {};
  for (const h of record.headers) (headers[h.key] ??= []).push(h.value);
  headers[DEAD_LETTER_HEADERS.topic] = [record.topic];
  headers[DEAD_LETTER_HEADERS.partition] = [String(record.partition)];
  headers[DEAD_LETTER_HEADERS.offset] = [String(record.offset)];
  headers[DEAD_LETTER_HEADERS.subscription] = [info.subscription];
  headers[DEAD_LETTER_HEADERS.reason] = [info.reason];
  headers[DEAD_LETTER_HEADERS.attempts] = [String(info.attempts)];
  if (info.error !== undefined) headers[DEAD_LETTER_HEADERS.error] = [info.error.slice(0, 1000)];
  return { key: record.key, value: record.value, headers, timestamp: record.timestamp };
}

/** Appends the records to `topic` and waits until they are acknowledged. */
export async function sendToDeadLetterTopic(broker: Transport, topic: string, records: readonly DeliveredRecord[], info: DeadLetterInfo): Promise<void> {
  await appendAcknowledged(broker, topic, records.map((r) => deadLetterMessage(r, info)));
}

/** Appends the messages to `topic` with acks=all, through a producer of their own, and waits until they are acknowledged. */
export async function appendAcknowledged(broker: Transport, topic: string, messages: readonly Message[]): Promise<void> {
  if (messages.length === 0) return;
  const producer = new Producer(broker, { acks: -1 });
  try {
    await producer.send({ topic, messages: [...messages] });
  } finally {
    await producer.disconnect();
  }
}
