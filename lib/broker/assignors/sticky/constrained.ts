import {
  compareByPartitionThenTopic,
  compareByTopicThenPartition,
  partitionKey,
  partitionsOf,
  sortTopics,
} from '../topic-partitions.js';
import { compareJavaStrings } from '../java-order.js';
import type { TopicPartition } from '../types.js';
import type { OwnedState } from './owned-partitions.js';

interface Quotas {
  min: number;
  max: number;
  /** How many members end with `max` partitions (0 when min == max). */
  expectedOverMin: number;
}

interface FillState {
  assignment: Map<string, TopicPartition[]>;
  underMin: string[];
  exactlyMin: string[];
  overMin: number;
}

/**
 * Kafka's constrained sticky assignment, used when every member subscribes to the
 * same topics. With P partitions and N members each member gets floor(P/N) or
 * ceil(P/N). Members are visited in `memberOrder`: each keeps its owned
 * partitions sorted by (partition, topic): all of them when fewer than the
 * minimum, the maximum when it owns that many and a maximum slot is left,
 * otherwise the minimum. The rest, sorted by (topic, partition), go round-robin to
 * members under the minimum (by member id), then one each to members at the
 * minimum until P % N members hold the maximum.
 */
export function constrainedAssign(partitionsPerTopic: ReadonlyMap<string, number>, state: OwnedState): Map<string, TopicPartition[]> {
  const all = sortTopics(partitionsPerTopic.keys()).flatMap((t) => partitionsOf(t, partitionsPerTopic.get(t)!));
  const quotas = quotasFor(all.length, state.memberOrder.length);
  const fill: FillState = { assignment: new Map(), underMin: [], exactlyMin: [], overMin: 0 };
  const kept = new Set<string>();

  for (const memberId of state.memberOrder) {
    const owned = state.owned
      .get(memberId)!
      .filter((tp) => !state.multiplyClaimed.has(partitionKey(tp)))
      .sort(compareByPartitionThenTopic);
    const keep = keepOwned(memberId, owned.length, quotas, fill);
    fill.assignment.set(memberId, owned.slice(0, keep));
    for (const tp of owned.slice(0, keep)) kept.add(partitionKey(tp));
  }

  const unassigned = all.filter((tp) => !kept.has(partitionKey(tp))).sort(compareByTopicThenPartition);
  fill.underMin.sort(compareJavaStrings);
  fill.exactlyMin.sort(compareJavaStrings);
  dealRoundRobin(unassigned, quotas, fill);
  return fill.assignment;
}

function quotasFor(partitionCount: number, memberCount: number): Quotas {
  return {
    min: Math.floor(partitionCount / memberCount),
    max: Math.ceil(partitionCount / memberCount),
    expectedOverMin: partitionCount % memberCount,
  };
}

/** How many of its owned partitions a member keeps; files the member by how full it is. */
function keepOwned(memberId: string, ownedCount: number, quotas: Quotas, fill: FillState): number {
  if (ownedCount < quotas.min) {
    fill.underMin.push(memberId);
    return ownedCount;
  }
  if (ownedCount >= quotas.max && fill.overMin < quotas.expectedOverMin) {
    fill.overMin++;
    if (fill.overMin === quotas.expectedOverMin) fill.exactlyMin.length = 0;
    return quotas.max;
  }
  if (fill.overMin < quotas.expectedOverMin) fill.exactlyMin.push(memberId);
  return quotas.min;
}

/** Deals the unassigned partitions: round-robin over members under the minimum, then one each at the minimum. */
function dealRoundRobin(unassigned: readonly TopicPartition[], quotas: Quotas, fill: FillState): void {
  let cursor = 0;
  for (const tp of unassigned) {
    let memberId: string;
    let fromUnderMin = true;
    if (cursor < fill.underMin.length) {
      memberId = fill.underMin[cursor++]!;
    } else if (fill.underMin.length > 0) {
      cursor = 0;
      memberId = fill.underMin[cursor++]!;
    } else {
      const next = fill.exactlyMin.shift();
      if (next === undefined) throw new Error('sticky assignor: no member left to take a partition');
      memberId = next;
      fromUnderMin = false;
    }
    const list = fill.assignment.get(memberId)!;
    list.push(tp);
    if (list.length === quotas.min && fromUnderMin) {
      fill.underMin.splice(--cursor, 1);
      fill.exactlyMin.push(memberId);
    } else if (list.length === quotas.max) {
      fill.overMin++;
    }
  }
}
