/**
 * Reads the `output` of an exactly-once subscription's function answer
 * (output-records.ts says its shape), validated as a schema; a malformed
 * answer fails the batch, as a thrown error would. Pure.
 */
import { z } from 'zod';
import type { OutputMessage } from '../client/consume-transform-produce.js';
import { MAX_NAME_CHARS } from '../limits.js';

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

