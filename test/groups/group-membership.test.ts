/**
 * The membership's own session check, driven step by step: a scripted
 * coordinator answers the join at once and holds every later beat, and
 * fake timers decide when the heartbeat and the session deadline fire.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TopicPartition } from '../../lib/client/consumer/consumer.js';
import { resolveGroupConfig } from '../../lib/client/consumer/group-config.js';
import { GroupMembership } from '../../lib/client/consumer/group-membership.js';
import type { Transport } from '../../lib/client/transport.js';

const SESSION_MS = 1_500;
/** The client's deadline: the session less its margin (a tenth, at most 200 ms). */
const DEADLINE_MS = SESSION_MS - 150;

/** Answers a join with partition 0 of 't'; every other beat stays out until `releaseBeats`. */
class ScriptedCoordinator implements Transport {
  readonly beats: { memberEpoch: number; ownedPartitions: TopicPartition[] }[] = [];
  private held: (() => void)[] = [];

  async invoke(_role: string, request: object): Promise<unknown> {
    const beat = request as { memberId: string; memberEpoch: number; ownedPartitions: TopicPartition[] };
    this.beats.push({ memberEpoch: beat.memberEpoch, ownedPartitions: beat.ownedPartitions });
    const reply = { ok: true, result: { memberId: beat.memberId, memberEpoch: 1, heartbeatIntervalMs: 500, assignment: [{ topic: 't', partition: 0 }], groupEpoch: 1 } };
    if (beat.memberEpoch === 0) return reply;
    return new Promise((resolve) => this.held.push(() => resolve(reply)));
  }

  releaseBeats(): void {
    for (const release of this.held.splice(0)) release();
  }

  async close(): Promise<void> {}
}

function member(coordinator: ScriptedCoordinator, held: () => TopicPartition[] = () => []) {
  const config = resolveGroupConfig({ 'group.id': 'g', 'session.timeout.ms': SESSION_MS });
  let fenced = 0;
  const membership = new GroupMembership(coordinator, config, held, () => void fenced++);
  return { membership, fenced: () => fenced };
}

describe('the group membership', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fences at its session deadline while a beat is out, even when the deadline timer fires early by the wall clock', async () => {
    const coordinator = new ScriptedCoordinator();
    const { membership, fenced } = member(coordinator);
    await membership.join();
    expect(membership.state).toBe('member');
    // The wall clock steps back a little against the timers' clock (as an NTP correction, or a
    // timer that fires within the millisecond before): the deadline timer then fires before
    // Date.now() reaches the deadline. The beat sent at 500 ms stays out throughout.
    vi.setSystemTime(Date.now() - 20);
    await vi.advanceTimersByTimeAsync(DEADLINE_MS);
    expect(coordinator.beats.map((b) => b.memberEpoch)).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(40);
    expect(membership.state).toBe('fenced');
    expect(fenced()).toBe(1);
    membership.stop();
  });

  it('does not send a beat that waited behind other coordinator work while the member was fenced', async () => {
    const coordinator = new ScriptedCoordinator();
    const { membership } = member(coordinator, () => [{ topic: 't', partition: 0 }]);
    await membership.join();
    // A commit holds the line to the coordinator past the session deadline; the beat due at 500 ms queues behind it.
    let finishCommit: () => void = () => undefined;
    const commit = membership.exclusive(() => new Promise<void>((resolve) => (finishCommit = resolve)));
    await vi.advanceTimersByTimeAsync(DEADLINE_MS + 10);
    expect(membership.state).toBe('fenced');
    finishCommit();
    await commit;
    await vi.advanceTimersByTimeAsync(10);
    // Sent now, that beat would report nothing held under the old epoch and make the member whole again without a rejoin.
    expect(coordinator.beats.map((b) => b.memberEpoch)).toEqual([0]);
    expect(membership.state).toBe('fenced');
    membership.stop();
  });
});
