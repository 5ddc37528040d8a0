/**
 * The output records of an exactly-once subscription's function: what it
 * answers as `output` (beside any `batchItemFailures`), each a record for a
 * kafkaless topic. JSON has no bytes, so a record's key, value and header
 * values are text (`encoding: 'utf8'`, the default) or base64
 * (`encoding: 'base64'`). Validated as a schema; a malformed answer fails
 * the batch, as a thrown error would (output-parse.ts reads them; this module,
 * which the client's exactlyOnceHandler imports, holds no schema library). Pure.
 */
import type { OutputMessage } from '../client/consume-transform-produce.js';

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
