import { describe, expect, it } from 'vitest';
import type { ConsumerRecord } from '../../lib/client/consumer/records.js';
import { matchesFilter, payloadView, recordView } from '../../lib/console/record-view.js';

const record = (over: Partial<ConsumerRecord>): ConsumerRecord => ({ topic: 't', partition: 0, offset: 0, timestamp: 1, key: null, value: null, headers: [], ...over });

describe('how the console shows a payload', () => {
  it('pretty-prints JSON objects and arrays, keeps other text, shows anything else as hex', () => {
    expect(payloadView(Buffer.from('{"a":[1,2]}'))).toEqual({ format: 'json', text: '{\n  "a": [\n    1,\n    2\n  ]\n}', size: 11, truncated: false });
    expect(payloadView(Buffer.from('42'))).toMatchObject({ format: 'text', text: '42' });
    expect(payloadView(Buffer.from('{not json'))).toMatchObject({ format: 'text', text: '{not json' });
    expect(payloadView(Buffer.from('tab\tand\nnewline'))).toMatchObject({ format: 'text' });
    expect(payloadView(Buffer.from([0x68, 0x00, 0x69]))).toMatchObject({ format: 'binary', text: '680069' });
    expect(payloadView(Buffer.from([0xc3, 0x28]))).toMatchObject({ format: 'binary', text: 'c328' });
    expect(payloadView(null)).toBeNull();
  });

  it('cuts what is longer than the limit and says so, with the whole size', () => {
    expect(payloadView(Buffer.from('x'.repeat(20)), 8)).toEqual({ format: 'text', text: 'xxxxxxxx', size: 20, truncated: true });
    expect(payloadView(Buffer.alloc(10, 0xff), 8)).toEqual({ format: 'binary', text: 'ffffffff', size: 10, truncated: true });
    expect(payloadView(Buffer.alloc(4, 0xff), 8)).toEqual({ format: 'binary', text: 'ffffffff', size: 4, truncated: false });
    expect(recordView(record({ value: Buffer.from('y'.repeat(10_000)) }), Infinity).value).toMatchObject({ truncated: false, size: 10_000 });
  });
});

describe('message filters', () => {
  const r = record({ key: Buffer.from('order-7'), value: Buffer.from('{"total":12}'), headers: [{ key: 'source', value: Buffer.from('web') }, { key: 'empty', value: null }] });

  it('match substrings of the key, the value and a header name or name=value, all given filters at once', () => {
    expect(matchesFilter(r, {})).toBe(true);
    expect(matchesFilter(r, { key: 'der-' })).toBe(true);
    expect(matchesFilter(r, { key: 'nope' })).toBe(false);
    expect(matchesFilter(r, { value: '"total"' })).toBe(true);
    expect(matchesFilter(r, { header: 'sour' })).toBe(true);
    expect(matchesFilter(r, { header: 'source=we' })).toBe(true);
    expect(matchesFilter(r, { header: 'source=app' })).toBe(false);
    expect(matchesFilter(r, { header: 'empty=' })).toBe(false);
    expect(matchesFilter(r, { key: 'order', value: 'missing' })).toBe(false);
    expect(matchesFilter(record({}), { key: '' })).toBe(false);
  });
});
