import { describe, expect, it } from 'vitest';
import { assignors, type AssignInput, type Assignment } from '../../lib/broker/assignors/index.js';
import {
  balanceProblems,
  membersOwning,
  parsePartition,
  sizeSpread,
  sortedNotation,
  tpKey,
  toNotation,
  unassignedPartitions,
  validityProblems,
} from './checks.js';
import { inputOf, vectors } from './vectors.js';

const scenario = (name: string) => vectors.sticky.invariantScenarios.find((s) => s.name === name)!;

function run(name: 'sticky' | 'cooperative-sticky', input: AssignInput): Assignment {
  const result = assignors[name].assign(input);
  expect(validityProblems(input, result)).toEqual([]);
  expect(unassignedPartitions(input, result)).toEqual([]);
  expect(balanceProblems(result)).toEqual([]);
  return result;
}

const keys = (assignment: Assignment, memberId: string): string[] => (assignment[memberId] ?? []).map(tpKey);
const sizes = (assignment: Assignment): number[] => Object.values(assignment).map((l) => l.length).sort();

describe.each(['sticky', 'cooperative-sticky'] as const)('%s in Kafka scenarios', (name) => {
  it('gives the only partition to one of two members', () => {
    const result = run(name, inputOf({ partitionsPerTopic: { topic: 1 }, subscriptions: scenario('twoConsumersOneTopicOnePartition').subscriptions! }));
    expect(sizes(result)).toEqual([0, 1]);
    expect(keys(result, 'consumer1')).toEqual(['topic-0']);
  });

  it('keeps partitions when a topic is added and removed (testAddRemoveTopicTwoConsumers)', () => {
    const ids = ['consumer1', 'consumer2'];
    const first = run(name, { members: membersOwning(ids, ['topic']), partitionsPerTopic: { topic: 3 } });
    expect(sizes(first)).toEqual([1, 2]);

    const second = run(name, { members: membersOwning(ids, ['topic', 'topic2'], first), partitionsPerTopic: { topic: 3, topic2: 3 } });
    expect(sizes(second)).toEqual([3, 3]);
    for (const id of ids) expect(keys(second, id)).toEqual(expect.arrayContaining(keys(first, id)));

    const third = run(name, { members: membersOwning(ids, ['topic2'], second), partitionsPerTopic: { topic2: 3 } });
    expect(sizes(third)).toEqual([1, 2]);
    for (const id of ids) expect(keys(second, id)).toEqual(expect.arrayContaining(keys(third, id)));
  });

  it('lets members keep their partition when another leaves (testStickiness)', () => {
    const ids = ['consumer1', 'consumer2', 'consumer3', 'consumer4'];
    const first = run(name, { members: membersOwning(ids, ['topic1']), partitionsPerTopic: { topic1: 3 } });
    expect(Math.max(...sizes(first))).toBe(1);

    const rest = ids.slice(1);
    const second = run(name, { members: membersOwning(rest, ['topic1'], first), partitionsPerTopic: { topic1: 3 } });
    for (const id of rest) {
      expect(keys(second, id)).toHaveLength(1);
      if (keys(first, id).length === 1) expect(keys(second, id)).toEqual(keys(first, id));
    }
  });

  it('balances each topic as members come and go (testTopicBalanceAfterReassignment)', () => {
    const partitionsPerTopic = { topic1: 12, topic2: 12 };
    const topics = ['topic1', 'topic2'];
    const perTopic = (assignment: Assignment, id: string, topic: string) =>
      (assignment[id] ?? []).filter((tp) => tp.topic === topic).length;
    let previous: Assignment = {};
    for (const [ids, each] of [
      [['consumer1'], 12],
      [['consumer1', 'consumer2'], 6],
      [['consumer1', 'consumer2', 'consumer3', 'consumer4'], 3],
      [['consumer3', 'consumer4'], 6],
    ] as const) {
      previous = run(name, { members: membersOwning([...ids], topics, previous), partitionsPerTopic });
      for (const id of ids) for (const topic of topics) expect(perTopic(previous, id, topic)).toBe(each);
    }
  });

  it('ignores a subscribed topic that no longer exists (testAssignmentUpdatedForDeletedTopic)', () => {
    const s = scenario('assignmentUpdatedForDeletedTopic');
    const result = run(name, inputOf({ partitionsPerTopic: s.partitionsPerTopic!, subscriptions: s.subscriptions! }));
    expect(result['consumer']).toHaveLength(101);
  });

  it("matches the result documented in Kafka's testPoorRoundRobinAssignmentScenario", () => {
    const s = scenario('poorRoundRobinAssignmentScenario');
    const result = run(name, inputOf({ partitionsPerTopic: s.partitionsPerTopic!, subscriptions: s.subscriptions! }));
    expect(sortedNotation(toNotation(result))).toEqual(sortedNotation(s.documentedResultNotAsserted!));
  });

  it('stays valid and balanced when existing assignments must move (testMoveExistingAssignments)', () => {
    const s = scenario('moveExistingAssignments');
    run(name, inputOf({ partitionsPerTopic: s.partitionsPerTopic!, subscriptions: s.subscriptions! }));
  });

  it('drops a partition that several members claim and stays valid (testSubscriptionNotEqualAndAssignSamePartitionWith3Generation, one generation)', () => {
    const s = scenario('subscriptionNotEqualAndAssignSamePartitionWith3Generation');
    const input = inputOf({ partitionsPerTopic: s.partitionsPerTopic!, subscriptions: s.subscriptions! });
    const result = run(name, input);
    for (const list of Object.values(result)) {
      expect(list.length).toBeGreaterThanOrEqual(1);
      expect(list.length).toBeLessThanOrEqual(2);
    }
    const contested = parsePartition('topic-2');
    for (const member of input.members) {
      const uncontested = (member.owned ?? []).filter((tp) => tpKey(tp) !== tpKey(contested));
      expect(keys(result, member.memberId)).toEqual(expect.arrayContaining(uncontested.map(tpKey)));
    }
  });

  it('stays balanced when a tenth member joins twenty partitions (testReassignmentAfterOneConsumerAdded)', () => {
    const nine = Array.from({ length: 9 }, (_, i) => `c0${i + 1}`);
    const first = run(name, { members: membersOwning(nine, ['topic']), partitionsPerTopic: { topic: 20 } });
    expect(sizeSpread(first)).toBeLessThanOrEqual(1);
    const second = run(name, { members: membersOwning([...nine, 'c10'], ['topic'], first), partitionsPerTopic: { topic: 20 } });
    expect(sizes(second)).toEqual(new Array(10).fill(2));
    const moved = nine.flatMap((id) => keys(first, id).filter((k) => !keys(second, id).includes(k)));
    expect(moved).toHaveLength(2);
  });

  it('stays balanced over fourteen topics when a member leaves (testSameSubscriptions)', () => {
    const partitionsPerTopic = Object.fromEntries(
      Array.from({ length: 14 }, (_, i) => [`t${String(i + 1).padStart(2, '0')}`, i + 1]),
    );
    const topics = Object.keys(partitionsPerTopic);
    const ids = Array.from({ length: 8 }, (_, i) => `c${i + 1}`);
    const first = run(name, { members: membersOwning(ids, topics), partitionsPerTopic });
    expect(sizeSpread(first)).toBeLessThanOrEqual(1);
    const rest = ids.filter((id) => id !== 'c5');
    const second = run(name, { members: membersOwning(rest, topics, first), partitionsPerTopic });
    expect(sizeSpread(second)).toBeLessThanOrEqual(1);
    for (const id of rest) expect(keys(second, id)).toEqual(expect.arrayContaining(keys(first, id)));
  });
});
