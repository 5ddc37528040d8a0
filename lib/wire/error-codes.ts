/**
 * Kafka's protocol error codes (lib/wire/kafka-error-table.ts, transcribed from
 * Kafka's `Errors` enum) looked up by the names kafkaless uses: lib/errors.ts names
 * its codes after Kafka's enum (`UnknownTopicOrPartition` for
 * UNKNOWN_TOPIC_OR_PARTITION) or after the Java exception the enum throws
 * (`CorruptRecord` for CORRUPT_MESSAGE, whose exception is CorruptRecordException).
 */
import type { ErrorCode } from '../errors.js';
import { KAFKA_ERROR_TABLE, type KafkaErrorEntry } from './kafka-error-table.js';

/** Names kafkaless uses that are neither Kafka's enum name nor its exception's. */
const ALIASES: Readonly<Record<string, string>> = {
  /** The Scala broker's old name for MESSAGE_TOO_LARGE. */
  MessageSizeTooLarge: 'MESSAGE_TOO_LARGE',
};

function pascalCase(enumName: string): string {
  return enumName
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

const byCode = new Map<number, KafkaErrorEntry>();
const byName = new Map<string, KafkaErrorEntry>();
for (const entry of KAFKA_ERROR_TABLE) {
  byCode.set(entry.code, entry);
  byName.set(entry.name, entry);
}
for (const entry of KAFKA_ERROR_TABLE) {
  const pascal = pascalCase(entry.name);
  if (!byName.has(pascal)) byName.set(pascal, entry);
  const exception = entry.exception?.replace(/Exception$/, '');
  if (exception !== undefined && !byName.has(exception)) byName.set(exception, entry);
}
for (const [alias, name] of Object.entries(ALIASES)) {
  const entry = byName.get(name);
  if (entry !== undefined) byName.set(alias, entry);
}

/** Kafka's entry for an error name: enum (UNKNOWN_TOPIC_OR_PARTITION), PascalCase, or exception-derived. */
export function kafkaError(name: string): KafkaErrorEntry | undefined {
  return byName.get(name);
}

export function kafkaErrorByCode(code: number): KafkaErrorEntry | undefined {
  return byCode.get(code);
}

/** The wire error code for a kafkaless error code; UNKNOWN_SERVER_ERROR (-1) for a name Kafka lacks. */
export function wireErrorCode(code: ErrorCode | 'None'): number {
  return byName.get(code)?.code ?? -1;
}

export const NO_ERROR = 0;
