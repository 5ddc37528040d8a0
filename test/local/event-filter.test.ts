import { describe, expect, it } from 'vitest';
import { matchesAnyFilter } from '../../lib/local/event-filter.js';

const headFilter = JSON.stringify({ eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { highWatermark: { N: [{ exists: true }] } } } });
const record = (eventName: string, newImage?: Record<string, unknown>) => ({ eventName, dynamodb: { Keys: { pk: { S: 'x' } }, ...(newImage !== undefined ? { NewImage: newImage } : {}) } });

describe("Lambda's event filtering, locally", () => {
  it('hands over a record matching a pattern: listed values and exists', () => {
    expect(matchesAnyFilter([headFilter], record('MODIFY', { highWatermark: { N: '4' } }))).toBe(true);
  });

  it('drops a record with another value, or without the field that must exist', () => {
    expect(matchesAnyFilter([headFilter], record('REMOVE', { highWatermark: { N: '4' } }))).toBe(false);
    expect(matchesAnyFilter([headFilter], record('INSERT', { owner: { S: 'me' } }))).toBe(false);
    expect(matchesAnyFilter([headFilter], record('INSERT'))).toBe(false);
  });

  it('reads prefix, anything-but and exists: false, and hands everything over without patterns', () => {
    expect(matchesAnyFilter([JSON.stringify({ dynamodb: { Keys: { pk: { S: [{ prefix: 'x' }] } } } })], record('INSERT'))).toBe(true);
    expect(matchesAnyFilter([JSON.stringify({ eventName: [{ 'anything-but': ['REMOVE'] }] })], record('REMOVE'))).toBe(false);
    expect(matchesAnyFilter([JSON.stringify({ dynamodb: { NewImage: { gone: [{ exists: false }] } } })], record('INSERT'))).toBe(true);
    expect(matchesAnyFilter([], record('REMOVE'))).toBe(true);
  });
});
