import { describe, expect, it } from 'vitest';
import { marshall } from '@aws-sdk/util-dynamodb';
import { itemSizeBytes } from '../../bench/item-size.js';
import { countOf, transactionWriteUnits } from '../../bench/request-counter.js';
import { parseArgs } from '../../bench/run.js';
import { batchSizeFor, recordBytes, sampleValue, VALUE_BYTES } from '../../bench/workload.js';

describe('the benchmark\'s pure parts', () => {
  it('sizes a DynamoDB item by its attribute names and values', () => {
    expect(itemSizeBytes(marshall({ pk: 'abc', n: 12345 }))).toBe(2 + 3 + 1 + 4);
    expect(itemSizeBytes(marshall({ list: [1, 'xy'] }))).toBe(4 + 3 + (1 + 2) + (1 + 2));
  });

  it('prices a transaction at two write units per item per started KB', () => {
    const small = { Put: { TableName: 't', Item: marshall({ pk: 'a' }) } };
    const big = { Put: { TableName: 't', Item: marshall({ pk: 'a', blob: 'x'.repeat(1500) }) } };
    const check = { ConditionCheck: { TableName: 't', Key: marshall({ pk: 'a' }), ConditionExpression: 'attribute_exists(pk)' } };
    expect(transactionWriteUnits([small])).toBe(2);
    expect(transactionWriteUnits([big])).toBe(4);
    expect(transactionWriteUnits([small, check])).toBe(4);
  });

  it('adds up request counts by service prefix or exact command', () => {
    const snapshot = { requests: { 's3:PutObject': 3, 's3:GetObject': 2, 'dynamodb:Query': 5 }, writeUnits: 0, readUnits: 0, transactItems: 0 };
    expect(countOf(snapshot, 's3:')).toBe(5);
    expect(countOf(snapshot, 'dynamodb:Query', 's3:PutObject')).toBe(8);
  });

  it('sets batch.size so a batch closes at exactly the asked number of records', () => {
    const value = sampleValue();
    expect(value.length).toBe(VALUE_BYTES);
    expect(batchSizeFor(100, value)).toBe(100 * recordBytes(value));
  });

  it('reads --quick and --only, and refuses unknown sections', () => {
    expect(parseArgs(['--quick', '--only', 'codec,floor'])).toEqual({ quick: true, sections: ['codec', 'floor'] });
    expect(parseArgs(['--only=e2e']).sections).toEqual(['e2e']);
    expect(() => parseArgs(['--only', 'nope'])).toThrow(/Unknown section/);
    expect(parseArgs([]).sections).toEqual(['codec', 'e2e', 'floor', 'memory', 'gateway', 'package']);
  });
});
