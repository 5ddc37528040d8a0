/** Filter criteria: Lambda's pattern syntax over a record's value (parsed when JSON), key, headers and position. */
import { describe, expect, it } from 'vitest';
import { patternProblems } from '../../lib/event-pattern.js';
import { filterableRecord, recordFilter } from '../../lib/triggers/record-filter.js';
import type { DeliveredRecord } from '../../lib/triggers/index.js';

function record(value: string | null, extra: Partial<DeliveredRecord> = {}): DeliveredRecord {
  return { topic: 'orders', partition: 2, offset: 7, timestamp: 1000, timestampType: 'CreateTime', key: Buffer.from('k-1'), value: value === null ? null : Buffer.from(value), headers: [], ...extra };
}

const matches = (pattern: object, r: DeliveredRecord): boolean => recordFilter([JSON.stringify(pattern)])!(r);

describe('filter criteria', () => {
  it('read the value as JSON when it is, else as text, with the key, headers and position beside it', () => {
    const headers = [{ key: 'source', value: Buffer.from('web') }, { key: 'tag', value: Buffer.from('a') }, { key: 'tag', value: null }];
    expect(filterableRecord(record('{"type":"order"}', { headers }))).toEqual({ topic: 'orders', partition: 2, offset: 7, timestamp: 1000, key: 'k-1', value: { type: 'order' }, headers: { source: 'web', tag: ['a', null] } });
    expect(filterableRecord(record('not json', { key: null })).value).toBe('not json');
    expect(filterableRecord(record(null))).not.toHaveProperty('value');
  });

  it("match Lambda's rules: values, prefix, suffix, equals-ignore-case, wildcard, numeric, anything-but, exists, $or, arrays", () => {
    const order = record('{"type":"Order","total":42,"tags":["x","vip"],"customer":{"id":"c-9"}}', { headers: [{ key: 'source', value: Buffer.from('web') }] });
    expect(matches({ value: { type: ['Order'] } }, order)).toBe(true);
    expect(matches({ value: { type: ['order'] } }, order)).toBe(false);
    expect(matches({ value: { type: [{ 'equals-ignore-case': 'order' }] } }, order)).toBe(true);
    expect(matches({ value: { customer: { id: [{ prefix: 'c-' }] } } }, order)).toBe(true);
    expect(matches({ value: { customer: { id: [{ suffix: '-9' }] } } }, order)).toBe(true);
    expect(matches({ value: { customer: { id: [{ wildcard: 'c*9' }] } } }, order)).toBe(true);
    expect(matches({ value: { total: [{ numeric: ['>', 10, '<=', 42] }] } }, order)).toBe(true);
    expect(matches({ value: { total: [{ numeric: ['<', 10] }] } }, order)).toBe(false);
    expect(matches({ value: { type: [{ 'anything-but': ['Refund'] }] } }, order)).toBe(true);
    expect(matches({ value: { type: [{ 'anything-but': { prefix: 'Or' } }] } }, order)).toBe(false);
    expect(matches({ value: { tags: ['vip'] } }, order)).toBe(true);
    expect(matches({ value: { coupon: [{ exists: false }] } }, order)).toBe(true);
    expect(matches({ value: { coupon: [{ exists: true }] } }, order)).toBe(false);
    expect(matches({ key: [{ prefix: 'k-' }], headers: { source: ['web'] } }, order)).toBe(true);
    expect(matches({ $or: [{ value: { type: ['Refund'] } }, { partition: [2] }] }, order)).toBe(true);
    expect(matches({ value: [{ prefix: 'plain' }] }, record('plain text'))).toBe(true);
  });

  it('deliver every record without patterns, and any pattern of several selects', () => {
    expect(recordFilter(undefined)).toBeUndefined();
    const filter = recordFilter([JSON.stringify({ value: { a: [1] } }), JSON.stringify({ value: { b: [2] } })])!;
    expect([record('{"a":1}'), record('{"b":2}'), record('{"c":3}')].map(filter)).toEqual([true, true, false]);
  });

  it('name what is wrong with a pattern', () => {
    expect(patternProblems('{"value":{"type":["order"]}}')).toEqual([]);
    expect(patternProblems('nope')[0]).toMatch(/^is not JSON/);
    expect(patternProblems('[1]')).toEqual(['must be a JSON object']);
    expect(patternProblems('{"value":{"type":"order"}}')).toEqual(['value.type must be an array of allowed values or a nested pattern']);
    expect(patternProblems('{"value":{"n":[{"numeric":[">"]}]}}')).toEqual(['value.n[0]: numeric takes operator and number pairs, e.g. [">", 0, "<=", 5]']);
    expect(patternProblems('{"value":{"n":[{"regex":"x"}]}}')[0]).toMatch(/^value.n\[0\] must be one rule of/);
  });
});
