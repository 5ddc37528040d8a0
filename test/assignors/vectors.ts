import { readFileSync } from 'node:fs';
import type { AssignInput, AssignorMember } from '../../lib/broker/assignors/index.js';
import { parsePartition } from './checks.js';

export type Compare = 'set' | 'list';

interface VectorSubscription {
  topics: string[];
  groupInstanceId?: string;
  ownedPartitions?: string[];
  generation?: number | null;
}

export interface SimpleCase {
  name: string;
  partitionsPerTopic: Record<string, number>;
  subscriptions: Record<string, VectorSubscription>;
  expected: Record<string, string[]>;
  compare: Compare;
}

export interface StickyStep {
  partitionsPerTopic: Record<string, number>;
  subscriptions: Record<string, VectorSubscription>;
  expected?: Record<string, string[]>;
  expectedCooperativeFirstRound?: Record<string, string[]>;
  compare: Compare;
}

export interface StickyCase {
  name: string;
  appliesTo: string[];
  steps: StickyStep[];
}

export interface InvariantScenario {
  name: string;
  partitionsPerTopic?: Record<string, number>;
  subscriptions?: Record<string, VectorSubscription>;
  documentedResultNotAsserted?: Record<string, string[]>;
}

export interface AssignorVectors {
  memberOrdering: { cases: Array<{ members: Array<[string, string | null]>; sorted: string[] }> };
  range: { cases: SimpleCase[] };
  roundRobin: { cases: SimpleCase[] };
  sticky: { exactCases: StickyCase[]; invariantScenarios: InvariantScenario[] };
}

export const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/vectors/assignors.json', import.meta.url), 'utf8'),
) as AssignorVectors;

/** The assignor input for a vector's subscriptions, members in the vector's order. */
export function inputOf(step: { partitionsPerTopic: Record<string, number>; subscriptions: Record<string, VectorSubscription> }): AssignInput {
  const members: AssignorMember[] = Object.entries(step.subscriptions).map(([memberId, s]) => ({
    memberId,
    topics: s.topics,
    ...(s.groupInstanceId === undefined ? {} : { instanceId: s.groupInstanceId }),
    owned: (s.ownedPartitions ?? []).map(parsePartition),
  }));
  return { members, partitionsPerTopic: step.partitionsPerTopic };
}

/**
 * True when two members claim one partition with different generations: Kafka
 * settles that by generation, which has no meaning where the coordinator is the
 * only source of ownership.
 */
export function settledByGeneration(step: StickyStep): boolean {
  const claims = new Map<string, Set<number | null>>();
  for (const s of Object.values(step.subscriptions)) {
    for (const tp of s.ownedPartitions ?? []) {
      const generations = claims.get(tp) ?? new Set<number | null>();
      generations.add(s.generation ?? null);
      claims.set(tp, generations);
    }
  }
  return [...claims.values()].some((g) => g.size > 1);
}
