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
import { BenchMember, type CallCounts, type TimedCall } from './groups-member.js';
import { waitStable, type StableTimes } from './groups-stable.js';
import { ConsumptionTracker, type WindowReport } from './groups-tracker.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type ChangeKind = 'join' | 'leave' | 'die';

export interface ScenarioPlan {
  readonly size: number;
  readonly sessionTimeoutMs: number;
  /** How long steady state is measured. */
  readonly steadyMs: number;
  /** How long to keep watching once the group is stable again and every moved partition has had a record from its new owner. */
  readonly settleMs: number;
  /** The longest wait, once stable, for every moved partition's first record from its new owner. */
  readonly catchUpTimeoutMs: number;
  readonly stableTimeoutMs: number;
}

export interface ChangeResult {
  readonly kind: ChangeKind;
  readonly membersBefore: number;
  readonly membersAfter: number;
  readonly stable: StableTimes;
  readonly window: WindowReport;
  /** Members that were fenced or expired meanwhile without being killed (their partitions dropped). */
  readonly fenced: number;
}

export interface SteadyState {
  readonly durationMs: number;
  readonly members: number;
  readonly calls: Readonly<Record<string, number>>;
  readonly beats: CounterSnapshot;
  readonly other: CounterSnapshot;
  /** Every heartbeat's duration as its member saw it, sorted. */
  readonly beatDurationsMs: readonly number[];
  /** Every fetch's duration (a long poll: up to fetch.max.wait.ms 500 when nothing is new), sorted. */
  readonly fetchDurationsMs: readonly number[];
  readonly window: WindowReport;
  readonly fenced: number;
}

export interface ScenarioResult {
  readonly size: number;
  readonly sessionTimeoutMs: number;
  /** False when the group never settled after forming: the membership changes were not made. */
  readonly formed: boolean;
  readonly formation: StableTimes;
  readonly steady: SteadyState;
  readonly changes: readonly ChangeResult[];
}

export async function runScenario(env: GroupsEnv, plan: ScenarioPlan, log: (line: string) => void): Promise<ScenarioResult> {
  const group = new BenchGroup(env, plan);
  try {
    log(`  ${plan.size} members, session.timeout.ms ${plan.sessionTimeoutMs}: forming the group ...`);
    const formedSinceMs = Date.now();
    // Members start a few ms apart (a fleet starting), not all in the same tick.
    for (let i = 0; i < plan.size; i++) {
      group.addMember();
      if (plan.size > 30) await sleep(5);
    }
    const formation = await group.stableAfter(formedSinceMs, plan.size);
    await sleep(plan.settleMs);

    log(`  ${plan.size} members: steady state for ${(plan.steadyMs / 1000).toFixed(0)} s ...`);
    await group.settled();
    const steady = await group.measureSteadyState();

    const formed = Number.isFinite(formation.clientsMs) && Number.isFinite(formation.coordinatorMs);
    const base = { size: plan.size, sessionTimeoutMs: plan.sessionTimeoutMs, formed, formation, steady };
    if (!formed) {
      log(`  ${plan.size} members: the group did not settle; no membership changes`);
      return { ...base, changes: [] };
    }
    const changes: ChangeResult[] = [];
    changes.push(await group.change('join', () => void group.addMember(), +1, log));
    changes.push(await group.change('leave', () => group.live()[0]!.leave(), -1, log));
    changes.push(await group.change('die', () => group.live()[0]!.kill(), -1, log));
    return { ...base, changes };
  } finally {
    await group.close();
  }
}

/** Runs a throwaway group of three for a while: DynamoDB Local and this process's code paths are slow until warm. */
export async function warmUp(env: GroupsEnv, plan: ScenarioPlan, durationMs: number): Promise<void> {
  const group = new BenchGroup(env, { ...plan, size: 3 });
  try {
    for (let i = 0; i < 3; i++) group.addMember();
    await group.stableAfter(Date.now(), 3);
    await sleep(durationMs);
  } finally {
    await group.close();
  }
}

const CHANGE_VERB: Record<ChangeKind, string> = { join: 'joins', leave: 'leaves', die: 'dies' };

/** The members of one benchmarked group, what they consumed and how their heartbeats went. */
class BenchGroup {
  private readonly groupId: string;
  private readonly calls: CallCounts = new Map();
  private readonly tracker: ConsumptionTracker;
  private readonly members: BenchMember[] = [];
  private durationsMs: Record<TimedCall, number[]> = { heartbeat: [], fetch: [] };

  constructor(
    private readonly env: GroupsEnv,
    private readonly plan: ScenarioPlan,
  ) {
    this.groupId = `bench-group-${plan.size}-${Date.now()}`;
    this.tracker = new ConsumptionTracker(env.partitions);
  }

  addMember(): BenchMember {
    const member = new BenchMember({
      index: this.members.length,
      groupId: this.groupId,
      topic: this.env.topic,
      sessionTimeoutMs: this.plan.sessionTimeoutMs,
      routes: this.env.memberTransports(),
      calls: this.calls,
      onTimed: (call, durationMs) => void this.durationsMs[call].push(durationMs),
      onRecord: (m, partition, offset) => this.tracker.note(m, partition, offset),
    });
    this.members.push(member);
    return member;
  }

  live(): BenchMember[] {
    return this.members.filter((m) => m.state === 'live');
  }

  stableAfter(sinceMs: number, expectedMembers: number): Promise<StableTimes> {
    return waitStable({
      members: this.members,
      partitions: this.env.partitions,
      expectedMembers,
      describe: () => this.env.describeGroup(this.groupId),
      sinceMs,
      timeoutMs: this.plan.stableTimeoutMs,
      // Describing a large group reads every member item: ask less often.
      describeEveryMs: Math.max(100, this.plan.size),
    });
  }

  /** Waits (up to stableTimeoutMs, unreported) for the group to be stable with its live members, so a change starts from a settled group. */
  async settled(): Promise<void> {
    await this.stableAfter(Date.now(), this.live().length);
  }

  /** Makes one membership change and measures the rebalance it causes. */
  async change(kind: ChangeKind, act: () => Promise<void> | void, delta: number, log: (line: string) => void): Promise<ChangeResult> {
    await this.settled();
    const before = this.live().length;
    log(`  ${this.plan.size} members: a member ${CHANGE_VERB[kind]} ...`);
    const fencedBefore = this.fencedCounts();
    this.tracker.startWindow();
    const sinceMs = Date.now();
    const acted = Promise.resolve().then(act);
    const stable = await this.stableAfter(sinceMs, before + delta);
    await acted;
    await this.catchUp();
    await sleep(this.plan.settleMs);
    return { kind, membersBefore: before, membersAfter: before + delta, stable, window: this.tracker.endWindow(), fenced: this.fencedSince(fencedBefore) };
  }

  async measureSteadyState(): Promise<SteadyState> {
    const fencedBefore = this.fencedCounts();
    this.env.beatCounter.reset();
    this.env.otherCounter.reset();
    this.calls.clear();
    this.durationsMs = { heartbeat: [], fetch: [] };
    this.tracker.startWindow();
    const startedMs = Date.now();
    await sleep(this.plan.steadyMs);
    return {
      durationMs: Date.now() - startedMs,
      members: this.plan.size,
      calls: Object.fromEntries(this.calls),
      beats: this.env.beatCounter.snapshot(),
      other: this.env.otherCounter.snapshot(),
      beatDurationsMs: [...this.durationsMs.heartbeat].sort((a, b) => a - b),
      fetchDurationsMs: [...this.durationsMs.fetch].sort((a, b) => a - b),
      window: this.tracker.endWindow(),
      fenced: this.fencedSince(fencedBefore),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => m.close()));
  }

  /** Waits until every partition's latest record came from its holder: each moved partition has had a record from its new owner. */
  private async catchUp(): Promise<void> {
    const deadlineMs = Date.now() + this.plan.catchUpTimeoutMs;
    while (Date.now() < deadlineMs) {
      const holders = new Map(this.live().flatMap((m) => m.held().map((p) => [p, m.index] as const)));
      if (this.tracker.caughtUp(holders)) return;
      await sleep(20);
    }
  }

  private fencedCounts(): Map<BenchMember, number> {
    return new Map(this.members.map((m) => [m, m.fenced]));
  }

  /** Fencings since `before` of the members not killed. */
  private fencedSince(before: ReadonlyMap<BenchMember, number>): number {
    return this.members.filter((m) => m.state !== 'dead').reduce((n, m) => n + m.fenced - (before.get(m) ?? 0), 0);
  }
}
