/**
 * Kafka Connect's dead-letter queue for sinks (`errors.tolerance=all` with
 * `errors.deadletterqueue.topic.name`): a record that failed is appended
 * to the topic as it was read (key, value, headers, timestamp), with
 * Connect's `__connect.errors.*` headers when
 * `errors.deadletterqueue.context.headers.enable` is true. Awaited before the
 * sink's offsets move past it: at least once in the dead-letter topic.
 */
import type { Message } from '../client/producer/message.js';
import type { Transport } from '../client/transport.js';
import type { SinkRecord } from './sink-event.js';
import { appendAcknowledged } from '../triggers/dead-letter.js';

/** Header names as Kafka Connect's DeadLetterQueueReporter writes them. */
export const CONNECT_ERROR_HEADERS = {
  topic: '__connect.errors.topic',
  partition: '__connect.errors.partition',
  offset: '__connect.errors.offset',
  connector: '__connect.errors.connector.name',
  task: '__connect.errors.task.id',
  stage: '__connect.errors.stage',
  exceptionClass: '__connect.errors.exception.class.name',
  exceptionMessage: '__connect.errors.exception.message',
  stacktrace: '__connect.errors.exception.stacktrace',
} as const;

export interface FailedRecord {
  readonly record: SinkRecord;
  readonly error: Error & { readonly stage?: string };
}

export interface DeadLetterContext {
  readonly connector: string;
  readonly task: number;
  readonly contextHeaders: boolean;
}

export function deadLetterMessage(failed: FailedRecord, context: DeadLetterContext): Message {
  const { record, error } = failed;
  const headers: Record<string, (string | Buffer | null)[]> = {};
  for (const h of record.headers) (headers[h.key] ??= []).push(h.value);
  if (context.contextHeaders) {
    headers[CONNECT_ERROR_HEADERS.topic] = [record.topic];
    headers[CONNECT_ERROR_HEADERS.partition] = [String(record.partition)];
    headers[CONNECT_ERROR_HEADERS.offset] = [String(record.offset)];
    headers[CONNECT_ERROR_HEADERS.connector] = [context.connector];
    headers[CONNECT_ERROR_HEADERS.task] = [String(context.task)];
    headers[CONNECT_ERROR_HEADERS.stage] = [error.stage ?? 'TASK_PUT'];
    headers[CONNECT_ERROR_HEADERS.exceptionClass] = [error.name];
    headers[CONNECT_ERROR_HEADERS.exceptionMessage] = [error.message.slice(0, 1000)];
    headers[CONNECT_ERROR_HEADERS.stacktrace] = [(error.stack ?? error.message).slice(0, 4000)];
  }
  return { key: record.key, value: record.value, headers, timestamp: record.timestamp };
}

export async function sendToDeadLetterQueue(broker: Transport, topic: string, failed: readonly FailedRecord[], context: DeadLetterContext): Promise<void> {
  await appendAcknowledged(broker, topic, failed.map((f) => deadLetterMessage(f, context)));
}
