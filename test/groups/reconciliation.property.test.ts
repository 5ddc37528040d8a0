/**
 * The coordinator's pure step driven by random sequences of joins, leaves,
 * heartbeats (some of whose replies are lost), clock jumps and topic
 * changes, with simulated clients that apply each reply they receive. After
 * every step: no partition is owned by two members in the coordinator's
 * record, no two clients of live members hold the same partition, and each
 * client holds only what the coordinator records for it. At the end, a few
 * rounds of heartbeats reconcile every member to its target. Half the runs
 * take each beat as the handler does: the member-alone step when it applies
 * (its own item written alone), the whole-group step when it does not or the
 * expiry sweep is due.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextSweepAtMs } from '../../lib/broker/groups/coordinator.js';
import { heartbeatStep, type HeartbeatInput, type StepEnv } from '../../lib/broker/groups/heartbeat-step.js';
import { memberAloneStep } from '../../lib/broker/groups/quiet-heartbeat.js';
import { groupStateName } from '../../lib/broker/groups/group-state.js';
import type { TopicsView } from '../../lib/broker/groups/topics-view.js';
import { KafkalessError } from '../../lib/errors.js';
import { ownedBy, tpKey, type GroupState, type TopicPartitionRef } from '../../lib/storage/group-records.js';

const SESSION_MS = 10_000;
const MEMBERS = ['m0', 'm1', 'm2', 'm3', 'm4'];
const ASSIGNORS = ['range', 'roundrobin', 'sticky', 'cooperative-sticky'] as const;

type Op =
  | { kind: 'join'; member: number }
  | { kind: 'beat'; member: number; lost: boolean }
  | { kind: 'leave'; member: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'grow'; by: number }
  | { kind: 'toggleTopic' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('join' as const), member: fc.nat(MEMBERS.length - 1) }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('beat' as const), member: fc.nat(MEMBERS.length - 1), lost: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('leave' as const), member: fc.nat(MEMBERS.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1_000, max: 12_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('grow' as const), by: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('toggleTopic' as const) }) },
);

interface Client {
  epoch: number;
  holds: TopicPartitionRef[];
  regex: boolean;
}

class Simulation {
  state: GroupState | undefined;
  nowMs = 1_000_000;
  topics = new Map([
    ['orders', { topicId: 'orders-1', partitions: 6 }],
    ['order-audit', { topicId: 'audit-1', partitions: 2 }],
  ]);
  private topicGeneration = 1;
  readonly clients = new Map<string, Client>();
  private sweepAtMs: number | undefined;

  constructor(
    private readonly assignor: (typeof ASSIGNORS)[number],
    private readonly alone: boolean,
  ) {}

  apply(o: Op): void {
    if (o.kind === 'advance') this.nowMs += o.ms;
    else if (o.kind === 'grow') this.grow(o.by);
    else if (o.kind === 'toggleTopic') this.toggleTopic();
    else if (o.kind === 'join') this.join(MEMBERS[o.member]!);
    else if (o.kind === 'leave') this.leave(MEMBERS[o.member]!);
    else this.beat(MEMBERS[o.member]!, o.lost);
  }

  join(memberId: string): void {
    if (this.clients.has(memberId) && this.clients.get(memberId)!.epoch > 0) return;
    const regex = memberId === 'm4';
    this.clients.set(memberId, { epoch: 0, holds: [], regex });
    this.send({ memberId, memberEpoch: 0, ...(regex ? { subscribedTopicRegex: 'order.*' } : { subscribedTopics: ['orders'] }) }, false);
  }

  beat(memberId: string, lost: boolean): void {
    const client = this.clients.get(memberId);
    if (client === undefined) return;
    if (client.epoch === 0) return this.join(memberId);
    this.send({ memberId, memberEpoch: client.epoch, ownedPartitions: client.holds }, lost);
  }

  leave(memberId: string): void {
    const client = this.clients.get(memberId);
    if (client === undefined || client.epoch === 0) return;
    // A leaving client gives everything up first.
    client.holds = [];
    this.send({ memberId, memberEpoch: -1 }, false);
    this.clients.delete(memberId);
  }

  private send(request: Omit<HeartbeatInput, 'groupId' | 'sessionTimeoutMs'>, lost: boolean): void {
    const input: HeartbeatInput = { groupId: 'g', sessionTimeoutMs: SESSION_MS, assignor: this.assignor, ...request };
    const env: StepEnv = { nowMs: this.nowMs, topics: this.topics as TopicsView, newMemberId: () => 'generated' };
    const client = this.clients.get(request.memberId)!;
    if (this.alone && this.state !== undefined && request.memberEpoch > 0 && this.sweepAtMs !== undefined && this.sweepAtMs > this.nowMs) {
      const member = this.state.members.find((m) => m.memberId === request.memberId);
      const view = {
        meta: { ...this.state.meta, sweepAtMs: this.sweepAtMs },
        member,
        target: this.state.meta.targetAssignment[request.memberId],
        memberVersion: 0,
        stored: { version: 0, commits: 0, offsets: [] },
      };
      const step = memberAloneStep(view, input, this.nowMs, this.topics as TopicsView);
      if (step !== undefined) {
        this.state = { ...this.state, members: this.state.members.map((m) => (m.memberId === request.memberId ? step.member : m)) };
        if (!lost) {
          client.epoch = step.member.memberEpoch;
          client.holds = [...step.member.assigned];
        }
        return;
      }
    }
    let outcome;
    try {
      outcome = heartbeatStep(this.state, input, env);
    } catch (err) {
      if (!(err instanceof KafkalessError)) throw err;
      this.fence(request.memberId);
      return;
    }
    if (outcome.write) {
      this.state = outcome.state;
      this.sweepAtMs = nextSweepAtMs(outcome.state.members, this.nowMs);
    }
    if (outcome.error !== undefined) {
      this.fence(request.memberId);
      return;
    }
    if (lost || request.memberEpoch < 0) return;
    client.epoch = outcome.reply.memberEpoch;
    client.holds = [...outcome.reply.assignment];
  }

  /** A fenced or expired client drops everything and will join again. */
  private fence(memberId: string): void {
    const client = this.clients.get(memberId);
    if (client !== undefined) {
      client.epoch = 0;
      client.holds = [];
    }
  }

  private grow(by: number): void {
    const orders = this.topics.get('orders')!;
    this.topics.set('orders', { ...orders, partitions: orders.partitions + by });
  }

  private toggleTopic(): void {
    if (this.topics.has('order-audit')) this.topics.delete('order-audit');
    else this.topics.set('order-audit', { topicId: `audit-${++this.topicGeneration}`, partitions: 3 });
  }

  /** Checks invariant 6 over the coordinator's record and the clients' holdings. */
  check(): void {
    const members = this.state?.members ?? [];
    const owner = new Map<string, string>();
    for (const m of members) {
      for (const tp of ownedBy(m)) {
        expect(owner.get(tpKey(tp)), `${tpKey(tp)} owned twice`).toBeUndefined();
        owner.set(tpKey(tp), m.memberId);
      }
    }
    const holder = new Map<string, string>();
    for (const [memberId, client] of this.clients) {
      const member = members.find((m) => m.memberId === memberId);
      if (member === undefined) continue;
      const recorded = new Set(ownedBy(member).map(tpKey));
      for (const tp of client.holds) {
        expect(recorded.has(tpKey(tp)), `${memberId} holds ${tpKey(tp)} the coordinator does not record`).toBe(true);
        expect(holder.get(tpKey(tp)), `${tpKey(tp)} held by two clients`).toBeUndefined();
        holder.set(tpKey(tp), memberId);
      }
    }
  }

  /** Heartbeats every client, in rounds, until the group is stable. */
  settle(): void {
    for (let round = 0; round < 6; round++) {
      for (const memberId of [...this.clients.keys()]) {
        this.beat(memberId, false);
        this.check();
      }
    }
  }
}

describe('incremental reconciliation', () => {
  it('never gives one partition to two members, and converges to the target', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ASSIGNORS), fc.boolean(), fc.array(op, { minLength: 1, maxLength: 60 }), (assignor, alone, ops) => {
        const sim = new Simulation(assignor, alone);
        for (const o of ops) {
          sim.apply(o);
          sim.check();
        }
        sim.settle();
        const state = sim.state;
        if (state === undefined || state.members.length === 0) return;
        expect(groupStateName(state)).toBe('STABLE');
        const owned = state.members.flatMap((m) => m.assigned.map(tpKey)).sort();
        const targeted = Object.values(state.meta.targetAssignment).flatMap((tps) => tps.map(tpKey)).sort();
        expect(owned).toEqual(targeted);
      }),
      { numRuns: 300 },
    );
  });
});
