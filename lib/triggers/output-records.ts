/**
 * The output records of an exactly-once subscription's function: what it
 * answers as `output` (beside any `batchItemFailures`), each a record for a
 * kafkaless topic. JSON has no bytes, so a record's key, value and header
 * values are text (`encoding: 'utf8'`, the default) or base64
 * (`encoding: 'base64'`). Validated as a schema; a malformed answer fails
 * the batch, as a thrown error would. Pure.
 */
import { z } from 'zod';
import type { OutputMessage } from '../client/consume-transform-produce.js';
import { MAX_NAME_CHARS } from '../limits.js';

export type OutputEncoding = 'utf8' | 'base64';

/** One output record as the function answers it. */
export interface SubscriptionOutputRecord {
  readonly topic: string;
  readonly key?: string | null;
  readonly value: string | null;
  readonly headers?: Readonly<Record<string, string | null | readonly (string | null)[]>>;
  readonly partition?: number;
  /** Epoch ms; default: when the transaction appends it. */
  readonly timestamp?: number;
  /** How key, value and header values are written; default utf8. */
  readonly encoding?: OutputEncoding;
}

const headerValue = z.string().nullable();

const recordSchema = z
  .object({
    topic: z.string().min(1).max(MAX_NAME_CHARS),
    key: z.string().nullable().optional(),
    value: z.string().nullable(),
    headers: z.record(z.string(), z.union([headerValue, z.array(headerValue)])).optional(),
    partition: z.number().int().min(0).optional(),
    timestamp: z.number().int().min(0).optional(),
    encoding: z.enum(['utf8', 'base64']).optional(),
  })
  .strict();

export type ParsedOutput = { readonly ok: true; readonly messages: readonly OutputMessage[] } | { readonly ok: false; readonly message: string };

/** The `output` of a function's JSON answer, as messages to produce; none when the answer has no `output`. */
export function parseOutput(payload: string): ParsedOutput {
  let answer: unknown;
  try {
    answer = payload === '' ? null : JSON.parse(payload);
  } catch {
    return { ok: true, messages: [] };
  }
  if (typeof answer !== 'object' || answer === null || !('output' in answer) || answer.output === undefined || answer.output === null) return { ok: true, messages: [] };
  const parsed = z.array(recordSchema).safeParse(answer.output);
  if (!parsed.success) return { ok: false, message: `The function's output is not a list of output records: ${z.prettifyError(parsed.error).slice(0, 1000)}` };
  return { ok: true, messages: parsed.data.map(toMessage) };
}

function toMessage(record: z.infer<typeof recordSchema>): OutputMessage {
  const encoding = record.encoding ?? 'utf8';
  const bytes = (text: string | null | undefined): Buffer | null => (text === null || text === undefined ? null : Buffer.from(text, encoding));
  const headers: Record<string, (Buffer | null)[]> = {};
  for (const [name, raw] of Object.entries(record.headers ?? {})) headers[name] = (Array.isArray(raw) ? raw : [raw]).map(bytes);
  return {
    topic: record.topic,
    key: bytes(record.key),
    value: bytes(record.value),
    headers,
    ...(record.partition !== undefined ? { partition: record.partition } : {}),
    ...(record.timestamp !== undefined ? { timestamp: record.timestamp } : {}),
  };
}

/** Messages as output records: base64 where any part is bytes, else text. */
export function encodeOutput(messages: readonly OutputMessage[]): SubscriptionOutputRecord[] {
  return messages.map((m) => {
    const headerValues = Object.values(m.headers ?? {}).flatMap((v) => (Array.isArray(v) ? v : [v]));
    const binary = [m.key, m.value, ...headerValues].some((v) => Buffer.isBuffer(v));
    const encoding: OutputEncoding = binary ? 'base64' : 'utf8';
    const text = (v: string | Buffer | null | undefined): string | null => (v === null || v === undefined ? null : Buffer.from(v).toString(encoding));
    const headers: Record<string, (string | null)[]> = {};
    for (const [name, raw] of Object.entries(m.headers ?? {})) headers[name] = (Array.isArray(raw) ? raw : [raw]).map(text);
    const timestamp = m.timestamp === undefined ? undefined : Number(m.timestamp);
    return {
      topic: m.topic,
      ...(m.key !== undefined ? { key: text(m.key) } : {}),
      value: text(m.value),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      ...(m.partition !== undefined ? { partition: m.partition } : {}),
      ...(timestamp !== undefined ? { timestamp } : {}),
      ...(binary ? { encoding } : {}),
    };
  });
}
