import { describe, expect, it } from 'vitest';
import { assignors, sortMembers, type AssignorName } from '../../lib/broker/assignors/index.js';
import {
  balanceProblems,
  sortedNotation,
  toNotation,
  unassignedPartitions,
  validityProblems,
  withholdMoving,
} from './checks.js';
import { inputOf, settledByGeneration, vectors, type Compare, type SimpleCase } from './vectors.js';

function expectAssignment(actual: Record<string, string[]>, expected: Record<string, string[]>, compare: Compare): void {
  if (compare === 'list') expect(actual).toEqual(expected);
  else expect(sortedNotation(actual)).toEqual(sortedNotation(expected));
}

describe("Kafka's member order", () => {
  it.each(vectors.memberOrdering.cases.map((c) => [c.sorted.join(','), c] as const))(
    'sorts members as %s',
    (_sorted, c) => {
      const members = c.members.map(([memberId, instanceId]) => ({
        memberId,
        topics: [],
        ...(instanceId === null ? {} : { instanceId }),
      }));
      expect(sortMembers(members).map((m) => m.memberId)).toEqual(c.sorted);
    },
  );

  it('compares ids by UTF-16 code unit, not by locale', () => {
    const members = ['b', 'B', 'a', '\u00e9', 'Z'].map((memberId) => ({ memberId, topics: [] }));
    expect(sortMembers(members).map((m) => m.memberId)).toEqual(['B', 'Z', 'a', 'b', '\u00e9']);
  });
});

function runSimpleCases(name: AssignorName, cases: SimpleCase[]): void {
  it.each(cases.map((c) => [c.name, c] as const))('assigns %s as Kafka does', (_name, c) => {
    const input = inputOf(c);
    const result = assignors[name].assign(input);
    expect(validityProblems(input, result)).toEqual([]);
    expectAssignment(toNotation(result), c.expected, c.compare);
  });
}

describe('range assignor against Kafka', () => runSimpleCases('range', vectors.range.cases));
describe('roundrobin assignor against Kafka', () => runSimpleCases('roundrobin', vectors.roundRobin.cases));

const stickyNames = ['sticky', 'cooperative-sticky'] as const;
const stickySteps = vectors.sticky.exactCases.flatMap((c) =>
  c.steps.map((step, i) => ({ label: `${c.name} step ${i + 1}`, appliesTo: c.appliesTo, step })),
);
const applicable = stickySteps.filter((s) => !settledByGeneration(s.step));

describe('sticky assignors against Kafka', () => {
  it('skips only the steps in which members of different generations claim one partition', () => {
    const skipped = stickySteps.filter((s) => settledByGeneration(s.step)).map((s) => s.label);
    expect(skipped).toEqual([
      'ownedPartitionsAreInvalidatedForConsumerWithNoGeneration step 1',
      'ensurePartitionsAssignedToHighestGeneration step 1',
      'ownedPartitionsAreInvalidatedForConsumerWithMultipleGeneration step 1',
    ]);
  });

  for (const name of stickyNames) {
    const withExpected = applicable.filter((s) => s.appliesTo.includes(name) && s.step.expected !== undefined);
    it.each(withExpected.map((s) => [s.label, s] as const))(`${name} assigns %s as Kafka does`, (_label, s) => {
      const input = inputOf(s.step);
      const result = assignors[name].assign(input);
      expect(validityProblems(input, result)).toEqual([]);
      expect(unassignedPartitions(input, result)).toEqual([]);
      expect(balanceProblems(result)).toEqual([]);
      expectAssignment(toNotation(result), s.step.expected!, s.step.compare);
    });
  }

  const firstRounds = applicable.filter(
    (s) => s.appliesTo.includes('cooperative-sticky') && s.step.expectedCooperativeFirstRound !== undefined,
  );
  it.each(firstRounds.map((s) => [s.label, s] as const))(
    'cooperative-sticky targets what Kafka hands out in the first cooperative round of %s, once moving partitions are withheld',
    (_label, s) => {
      const input = inputOf(s.step);
      const firstRound = withholdMoving(input.members, assignors['cooperative-sticky'].assign(input));
      expectAssignment(toNotation(firstRound), s.step.expectedCooperativeFirstRound!, s.step.compare);
    },
  );
});
