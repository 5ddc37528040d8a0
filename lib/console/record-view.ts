/**
 * How the console shows a record's key, value and headers: JSON objects and
 * arrays pretty-printed, other UTF-8 text as it is, anything else as hex;
 * each cut to `limit` characters of display, saying so (the UI then offers
 * the whole record).
 */
import type { ConsumerRecord } from '../client/consumer/records.js';

export type PayloadFormat = 'json' | 'text' | 'binary';

export interface PayloadView {
  readonly format: PayloadFormat;
  /** Pretty JSON, the text, or lowercase hex (two digits a byte, no separators). */
  readonly text: string;
  /** Bytes of the payload. */
  readonly size: number;
  /** Whether `text` was cut to the limit. */
  readonly truncated: boolean;
}

export interface RecordView {
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: PayloadView | null;
  readonly value: PayloadView | null;
  readonly headers: readonly { readonly key: string; readonly value: PayloadView | null }[];
}

/** Characters of display per key, value or header before it is cut. */
export const DEFAULT_DISPLAY_LIMIT = 4096;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Text with no control characters but tab, newline and carriage return. */
function asText(bytes: Buffer): string | undefined {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? undefined : text;
}

function asJson(text: string): string | undefined {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return undefined;
  }
}

export function payloadView(bytes: Buffer | null, limit: number = DEFAULT_DISPLAY_LIMIT): PayloadView | null {
  if (bytes === null) return null;
  const text = asText(bytes);
  const json = text !== undefined ? asJson(text) : undefined;
  const [format, full]: [PayloadFormat, string] =
    json !== undefined ? ['json', json] : text !== undefined ? ['text', text] : ['binary', bytes.subarray(0, Math.ceil(limit / 2) + 1).toString('hex')];
  const truncated = format === 'binary' ? bytes.length * 2 > limit : full.length > limit;
  return { format, text: truncated ? full.slice(0, limit) : full, size: bytes.length, truncated };
}

/** A record for the browser; `limit` Infinity shows every payload whole. */
export function recordView(record: ConsumerRecord, limit: number = DEFAULT_DISPLAY_LIMIT): RecordView {
  return {
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: payloadView(record.key, limit),
    value: payloadView(record.value, limit),
    headers: record.headers.map((h) => ({ key: h.key, value: payloadView(h.value, limit) })),
  };
}

export interface RecordFilter {
  /** Substrings the key, the value, or a header (`name` or `name=value`'s text) must contain. */
  readonly key?: string;
  readonly value?: string;
  readonly header?: string;
}

function contains(bytes: Buffer | null, needle: string): boolean {
  return bytes !== null && bytes.includes(Buffer.from(needle));
}

/** Whether the record matches every filter given (byte substrings, so binary keys can be searched by their UTF-8 text too). */
export function matchesFilter(record: ConsumerRecord, filter: RecordFilter): boolean {
  if (filter.key !== undefined && !contains(record.key, filter.key)) return false;
  if (filter.value !== undefined && !contains(record.value, filter.value)) return false;
  if (filter.header !== undefined) {
    const [name, value] = filter.header.includes('=') ? [filter.header.slice(0, filter.header.indexOf('=')), filter.header.slice(filter.header.indexOf('=') + 1)] : [filter.header, undefined];
    if (!record.headers.some((h) => h.key.includes(name) && (value === undefined || contains(h.value, value)))) return false;
  }
  return true;
}
