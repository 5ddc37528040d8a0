import { describe, expect, it } from 'vitest';
import { assignors, isAssignorName, type AssignorName } from '../../lib/broker/assignors/index.js';
import { KafkalessError } from '../../lib/errors.js';
import { toNotation } from './checks.js';

const NAMES: AssignorName[] = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'];

describe('assignor registry', () => {
  it('names each assignor by its key', () => {
    for (const name of NAMES) expect(assignors[name].name).toBe(name);
    expect(Object.keys(assignors).sort()).toEqual([...NAMES].sort());
    expect(isAssignorName('sticky')).toBe(true);
    expect(isAssignorName('uniform')).toBe(false);
  });
});

describe.each(NAMES)('%s input handling', (name) => {
  const assign = assignors[name].assign;

  it('rejects a negative or fractional partition count', () => {
    const members = [{ memberId: 'a', topics: ['t'] }];
    expect(() => assign({ members, partitionsPerTopic: { t: -1 } })).toThrow(KafkalessError);
    expect(() => assign({ members, partitionsPerTopic: { t: 1.5 } })).toThrow(KafkalessError);
  });

  it('skips topics with no partitions and topics nobody subscribes to', () => {
    const result = assign({
      members: [{ memberId: 'a', topics: ['empty', 'x'] }],
      partitionsPerTopic: { empty: 0, x: 1, unwanted: 4 },
    });
    expect(toNotation(result)).toEqual({ a: ['x-0'] });
  });

  it('treats a topic listed twice in a subscription as listed once', () => {
    const result = assign({
      members: [
        { memberId: 'a', topics: ['x', 'x'] },
        { memberId: 'b', topics: ['x'] },
      ],
      partitionsPerTopic: { x: 2 },
    });
    expect(Object.values(result).map((l) => l.length)).toEqual([1, 1]);
  });
});

describe.each(['sticky', 'cooperative-sticky'] as const)('%s owned partitions', (name) => {
  it('ignores owned partitions of topics or partitions that no longer exist', () => {
    const result = assignors[name].assign({
      members: [
        { memberId: 'a', topics: ['x'], owned: [{ topic: 'x', partition: 9 }, { topic: 'gone', partition: 0 }, { topic: 'x', partition: 1 }] },
        { memberId: 'b', topics: ['x'] },
      ],
      partitionsPerTopic: { x: 2 },
    });
    expect(toNotation(result)).toEqual({ a: ['x-1'], b: ['x-0'] });
  });

  it('gives nobody a partition two members both claim until it is reassigned', () => {
    const result = assignors[name].assign({
      members: [
        { memberId: 'a', topics: ['x'], owned: [{ topic: 'x', partition: 0 }, { topic: 'x', partition: 1 }] },
        { memberId: 'b', topics: ['x'], owned: [{ topic: 'x', partition: 0 }] },
      ],
      partitionsPerTopic: { x: 2 },
    });
    expect(toNotation(result)).toEqual({ a: ['x-1'], b: ['x-0'] });
  });

  it('takes back owned partitions of a topic the member no longer subscribes to', () => {
    const result = assignors[name].assign({
      members: [
        { memberId: 'a', topics: ['y'], owned: [{ topic: 'x', partition: 0 }] },
        { memberId: 'b', topics: ['x', 'y'] },
      ],
      partitionsPerTopic: { x: 1, y: 2 },
    });
    expect(toNotation(result)).toEqual({ a: ['y-0', 'y-1'], b: ['x-0'] });
  });
});
