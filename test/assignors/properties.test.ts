import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KafkalessError } from '../../lib/errors.js';
import { assignors, type AssignInput, type Assignment, type AssignorName } from '../../lib/broker/assignors/index.js';
import {
  balanceProblems,
  membersOwning,
  sizeSpread,
  tpKey,
  unassignedPartitions,
  validityProblems,
} from './checks.js';

const NAMES: AssignorName[] = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'];
const TOPICS = ['t0', 't1', 't2', 't3', 'orders-eu'];
const RUNS = { numRuns: 150 };

const partitionsPerTopicArb = fc
  .uniqueArray(fc.constantFrom(...TOPICS), { minLength: 1, maxLength: TOPICS.length })
  .chain((topics) => fc.tuple(...topics.map((t) => fc.integer({ min: 0, max: 8 }).map((n) => [t, n] as const))))
  .map((entries) => Object.fromEntries(entries));

const ID_POOL = ['a', 'b', 'B', 'Z', 'c1', 'c2', 'c10', 'member-1', 'member-2', 'consumer', '\u00e9t\u00e9', 'Aa', 'BB'];
const idsArb = (max: number) => fc.uniqueArray(fc.constantFrom(...ID_POOL), { minLength: 1, maxLength: max });

/** Any group: subscriptions differ, may name topics without metadata ('ghost'), some members static. */
const anyInputArb: fc.Arbitrary<AssignInput> = fc
  .tuple(partitionsPerTopicArb, idsArb(7))
  .chain(([partitionsPerTopic, ids]) =>
    fc
      .tuple(
        ...ids.map((memberId) =>
          fc.record({
            memberId: fc.constant(memberId),
            topics: fc.subarray([...TOPICS, 'ghost']),
            instanceId: fc.option(fc.constantFrom('x', 'y', 'z'), { nil: undefined }),
          }),
        ),
      )
      .map((members) => ({
        partitionsPerTopic,
        members: members.map(({ instanceId, ...m }) => (instanceId === undefined ? m : { ...m, instanceId })),
      })),
  );

/** A group in which every member subscribes to the same topics. */
const sameSubscriptionArb = fc.tuple(partitionsPerTopicArb, idsArb(9)).map(([partitionsPerTopic, ids]) => ({
  partitionsPerTopic,
  ids,
  topics: Object.keys(partitionsPerTopic),
}));

function expectValidAndComplete(input: AssignInput, result: Assignment): void {
  expect(validityProblems(input, result)).toEqual([]);
  expect(unassignedPartitions(input, result)).toEqual([]);
}

/** Partitions the surviving members held before and do not hold now. */
function revoked(before: Assignment, after: Assignment): number {
  return Object.keys(after).reduce((sum, id) => {
    const now = new Set((after[id] ?? []).map(tpKey));
    return sum + (before[id] ?? []).filter((tp) => !now.has(tpKey(tp))).length;
  }, 0);
}

/** The fewest partitions the survivors must give up so that the group is balanced. */
function fewestMovesToBalance(before: Assignment, survivors: string[], partitionCount: number, memberCount: number): number {
  const min = Math.floor(partitionCount / memberCount);
  const maxSlots = partitionCount % memberCount;
  const owned = survivors.map((id) => (before[id] ?? []).length);
  const excess = owned.reduce((sum, n) => sum + Math.max(0, n - min), 0);
  return excess - Math.min(maxSlots, owned.filter((n) => n > min).length);
}

describe.each(NAMES)('%s assignor properties', (name) => {
  const assign = (input: AssignInput) => assignors[name].assign(input);

  it('assigns every subscribed partition exactly once, and only to a subscriber', () => {
    fc.assert(
      fc.property(anyInputArb, (input) => {
        expectValidAndComplete(input, assign(input));
      }),
      RUNS,
    );
  });

  it('answers the same assignment for the same input', () => {
    fc.assert(
      fc.property(anyInputArb, (input) => {
        expect(assign(input)).toEqual(assign(structuredClone(input)));
      }),
      RUNS,
    );
  });

  it('rejects duplicate member ids', () => {
    const input = { members: membersOwning(['a', 'a'], ['t0']), partitionsPerTopic: { t0: 2 } };
    expect(() => assign(input)).toThrow(KafkalessError);
    try {
      assign(input);
    } catch (err) {
      expect((err as KafkalessError).code).toBe('InvalidRequest');
    }
  });

  it('answers every member, even with no partitions or no members subscribed', () => {
    const input = { members: membersOwning(['a', 'b', 'c'], ['ghost']), partitionsPerTopic: { t0: 3 } };
    expect(assign(input)).toEqual({ a: [], b: [], c: [] });
    expect(assign({ members: [], partitionsPerTopic: { t0: 3 } })).toEqual({});
  });
});

describe('balance', () => {
  it('range spreads each topic within one partition over its subscribers', () => {
    fc.assert(
      fc.property(anyInputArb, (input) => {
        const result = assignors.range.assign(input);
        for (const topic of Object.keys(input.partitionsPerTopic)) {
          const counts = input.members
            .filter((m) => m.topics.includes(topic))
            .map((m) => result[m.memberId]!.filter((tp) => tp.topic === topic).length);
          if (counts.length > 0) expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        }
      }),
      RUNS,
    );
  });

  it.each(['roundrobin', 'sticky', 'cooperative-sticky'] as const)(
    '%s gives members of one subscription sizes within one of each other',
    (name) => {
      fc.assert(
        fc.property(sameSubscriptionArb, ({ partitionsPerTopic, ids, topics }) => {
          const result = assignors[name].assign({ members: membersOwning(ids, topics), partitionsPerTopic });
          expect(sizeSpread(result)).toBeLessThanOrEqual(1);
        }),
        RUNS,
      );
    },
  );

  it.each(['sticky', 'cooperative-sticky'] as const)(
    "%s meets Kafka's balance rule for any subscriptions, before and after a change",
    (name) => {
      fc.assert(
        fc.property(anyInputArb, anyInputArb, (first, second) => {
          const previous = assignors[name].assign(first);
          expect(balanceProblems(previous)).toEqual([]);
          const members = second.members.map((m) => ({ ...m, owned: previous[m.memberId] ?? [] }));
          const input = { members, partitionsPerTopic: first.partitionsPerTopic };
          const next = assignors[name].assign(input);
          expectValidAndComplete(input, next);
          expect(balanceProblems(next)).toEqual([]);
        }),
        RUNS,
      );
    },
  );
});

describe('sticky stickiness', () => {
  const change = fc.record({ join: fc.boolean(), pick: fc.nat() });

  it.each(['sticky', 'cooperative-sticky'] as const)(
    '%s moves no more partitions than balance needs when a member joins or leaves',
    (name) => {
      fc.assert(
        fc.property(sameSubscriptionArb, change, ({ partitionsPerTopic, ids, topics }, { join, pick }) => {
          const before = assignors[name].assign({ members: membersOwning(ids, topics), partitionsPerTopic });
          const survivors = join || ids.length === 1 ? ids : ids.filter((_, i) => i !== pick % ids.length);
          const members = join || ids.length === 1 ? [...ids, 'newcomer'] : survivors;
          const after = assignors[name].assign({ members: membersOwning(members, topics, before), partitionsPerTopic });
          const partitionCount = Object.values(partitionsPerTopic).reduce((a, b) => a + b, 0);
          expect(sizeSpread(after)).toBeLessThanOrEqual(1);
          expect(revoked(before, after)).toBe(fewestMovesToBalance(before, survivors, partitionCount, members.length));
        }),
        RUNS,
      );
    },
  );

  it('keeps an already balanced assignment unchanged', () => {
    fc.assert(
      fc.property(anyInputArb, (input) => {
        const first = assignors.sticky.assign(input);
        const members = input.members.map((m) => ({ ...m, owned: first[m.memberId] ?? [] }));
        const again = assignors.sticky.assign({ ...input, members });
        for (const m of input.members) {
          expect(new Set(again[m.memberId]!.map(tpKey))).toEqual(new Set(first[m.memberId]!.map(tpKey)));
        }
      }),
      RUNS,
    );
  });
});
