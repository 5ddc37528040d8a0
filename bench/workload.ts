/**
 * The benchmarks' records: 1 KiB values of text-like bytes (compressible, as
 * logs and JSON are), no key, sent to one partition unless said otherwise.
 */
import { recordSizeBytes } from '../lib/log/index.js';
import type { Message } from '../lib/client/producer/message.js';

export const VALUE_BYTES = 1024;

/** One shared value: the producer copies it into each batch, so the app holds one buffer. */
export function sampleValue(seed = 42): Buffer {
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
  let state = seed;
  const next = (): number => (state = (state * 1103515245 + 12345) % 2147483648);
  let text = '';
  while (text.length < VALUE_BYTES) text += `${words[next() % words.length]}:${next() % 100000} `;
  return Buffer.from(text.slice(0, VALUE_BYTES));
}

/** What the producer reserves for one record (its estimate of the record's bytes in a batch). */
export function recordBytes(value: Buffer): number {
  return recordSizeBytes({ key: null, value, headers: [], timestamp: 0 }, 0, 0);
}

/** A producer `batch.size` that closes each batch at exactly `records` records of this value. */
export function batchSizeFor(records: number, value: Buffer): number {
  return records * recordBytes(value);
}

export function messages(count: number, value: Buffer, partition?: number): Message[] {
  return Array.from({ length: count }, () => (partition === undefined ? { value } : { value, partition }));
}
