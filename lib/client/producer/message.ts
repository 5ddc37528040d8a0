/** kafkajs-style messages, and turning them into records. */
import { KafkalessError } from '../../errors.js';
import type { RecordHeader, RecordInput } from '../../log/index.js';

export type HeaderValue = string | Buffer | null;

export interface Message {
  readonly key?: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: Readonly<Record<string, HeaderValue | readonly HeaderValue[]>>;
  readonly partition?: number;
  /** Epoch ms (number or numeric string); default now. */
  readonly timestamp?: number | string;
}

export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  /** -1 when not known: acks=0, or a record staged in a transaction (see `committed`). */
  readonly offset: number;
  readonly timestamp: number;
  /**
   * Only for a record sent in a transaction: resolves with its metadata and
   * real offset once the transaction commits; rejects if it aborts.
   */
  readonly committed?: Promise<RecordMetadata>;
}

function toBuffer(v: string | Buffer | null | undefined): Buffer | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? Buffer.from(v) : v;
}

export function toRecord(message: Message, nowMs: number): RecordInput {
  const headers: RecordHeader[] = [];
  for (const [key, raw] of Object.entries(message.headers ?? {})) {
    const values = Array.isArray(raw) ? raw : [raw as HeaderValue];
    for (const v of values) headers.push({ key, value: toBuffer(v) });
  }
  const timestamp = message.timestamp === undefined ? nowMs : Number(message.timestamp);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new KafkalessError('InvalidTimestamp', `Message timestamp ${String(message.timestamp)} is not a non-negative whole number of milliseconds`);
  }
  return { key: toBuffer(message.key), value: toBuffer(message.value), headers, timestamp };
}
