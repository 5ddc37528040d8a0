/**
 * One group size's run: N members join a group on the benchmark's topic
 * while the producer keeps producing; steady state is measured (calls and
 * DynamoDB requests per member), then a member joins, one leaves cleanly,
 * and one dies (stops heartbeating and is expired after its session
 * timeout). After each change: the time to a stable new assignment, and the
 * consumption pause of every partition that moved.
 */
import type { CounterSnapshot } from './request-counter.js';
import type { GroupsEnv } from './groups-env.js';
import { BenchMember, type CallCounts } from './groups-member.js';
import { waitStable, type StableTimes } from './groups-stable.js';
import { ConsumptionTracker, type WindowReport } from './groups-tracker.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type ChangeKind = 'join' | 'leave' | 'die';

export interface ScenarioPlan {
  readonly size: number;
  readonly sessionTimeoutMs: number;
  /** How long steady state is measured. */
  readonly steadyMs: number;
  /** How long to keep watching after the group is stable again (pauses end after it settles). */
  readonly settleMs: number;
  readonly stableTimeoutMs: number;
}

export interface ChangeResult {
  readonly kind: ChangeKind;
  readonly membersBefore: number;
  readonly membersAfter: number;
  readonly stable: StableTimes;
  readonly window: WindowReport;
}

export interface SteadyState {
  readonly durationMs: number;
  readonly members: number;
  readonly calls: Readonly<Record<string, number>>;
  readonly beats: CounterSnapshot;
  readonly other: CounterSnapshot;
  readonly window: WindowReport;
}

export interface ScenarioResult {
  readonly size: number;
  readonly formation: StableTimes;
  readonly steady: SteadyState;
  readonly changes: readonly ChangeResult[];
}

export async function runScenario(env: GroupsEnv, plan: ScenarioPlan, log: (line: string) => void): Promise<ScenarioResult> {
  const groupId = `bench-group-${plan.size}-${Date.now()}`;
  const calls: CallCounts = new Map();
  const tracker = new ConsumptionTracker(env.partitions);
  const members: BenchMember[] = [];
  const addMember = (): BenchMember => {
    const member = new BenchMember({
      index: members.length,
      groupId,
      topic: env.topic,
      sessionTimeoutMs: plan.sessionTimeoutMs,
      routes: env.memberTransports(),
      calls,
      onRecord: (m, partition, offset) => tracker.note(m, partition, offset),
    });
    members.push(member);
    return member;
  };
  const live = (): BenchMember[] => members.filter((m) => m.state === 'live');
  const stableAfter = (sinceMs: number, expectedMembers: number): Promise<StableTimes> =>
    waitStable({ members, partitions: env.partitions, expectedMembers, describe: () => env.describeGroup(groupId), sinceMs, timeoutMs: plan.stableTimeoutMs });

  try {
    log(`  ${plan.size} members: forming the group ...`);
    const formedSinceMs = Date.now();
    for (let i = 0; i < plan.size; i++) addMember();
    const formation = await stableAfter(formedSinceMs, plan.size);
    await sleep(plan.settleMs);

    log(`  ${plan.size} members: steady state for ${(plan.steadyMs / 1000).toFixed(0)} s ...`);
    const steady = await measureSteadyState(env, tracker, calls, plan);

    const changes: ChangeResult[] = [];
    const change = async (kind: ChangeKind, act: () => Promise<void> | void, delta: number): Promise<void> => {
      const before = live().length;
      log(`  ${plan.size} members: a member ${kind === 'join' ? 'joins' : kind === 'leave' ? 'leaves' : 'dies'} ...`);
      tracker.startWindow();
      const sinceMs = Date.now();
      const acted = Promise.resolve().then(act);
      const stable = await stableAfter(sinceMs, before + delta);
      await acted;
      await sleep(plan.settleMs);
      changes.push({ kind, membersBefore: before, membersAfter: before + delta, stable, window: tracker.endWindow() });
    };
    await change('join', () => void addMember(), +1);
    await change('leave', () => live()[0]!.leave(), -1);
    await change('die', () => live()[0]!.kill(), -1);
    return { size: plan.size, formation, steady, changes };
  } finally {
    await Promise.all(members.map((m) => m.close()));
  }
}

async function measureSteadyState(env: GroupsEnv, tracker: ConsumptionTracker, calls: CallCounts, plan: ScenarioPlan): Promise<SteadyState> {
  env.beatCounter.reset();
  env.otherCounter.reset();
  calls.clear();
  tracker.startWindow();
  const startedMs = Date.now();
  await sleep(plan.steadyMs);
  const durationMs = Date.now() - startedMs;
  return {
    durationMs,
    members: plan.size,
    calls: Object.fromEntries(calls),
    beats: env.beatCounter.snapshot(),
    other: env.otherCounter.snapshot(),
    window: tracker.endWindow(),
  };
}
