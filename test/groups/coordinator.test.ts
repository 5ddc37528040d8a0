import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrokerContext } from '../../lib/broker/context.js';
import { createGroupDeps, expireMembers } from '../../lib/broker/groups/index.js';
import type { HeartbeatReply } from '../../lib/protocol/group-replies.js';
import { committedOffsetsOf } from '../../lib/client/admin-groups.js';
import { createGroupTestbed, expectCode, tps, type GroupTestbed } from './coordinator-helpers.js';

let g: GroupTestbed;
const SESSION_MS = 60_000;
/** Past the coordinator's topic list cache. */
const TOPIC_CACHE_MS = 1_001;

beforeAll(async () => {
  g = await createGroupTestbed();
});
afterAll(async () => g?.t.close());

const admin = () => g.t.kafkaless.admin();
/** The group's committed offsets as one list of numbers. */
const committed = async (groupId: string) => committedOffsetsOf(await admin().fetchOffsets({ groupId }));

async function join(groupId: string, memberId: string, subscription: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<HeartbeatReply> {
  return g.heartbeat({ groupId, memberId, memberEpoch: 0, sessionTimeoutMs: SESSION_MS, ...subscription, ...extra });
}

/** A heartbeat that reports holding exactly what the last reply assigned. */
async function beat(groupId: string, last: HeartbeatReply): Promise<HeartbeatReply> {
  return g.heartbeat({ groupId, memberId: last.memberId, memberEpoch: last.memberEpoch, ownedPartitions: last.assignment });
}

/** Beats each member until no reply changes, returning the last replies. */
async function settle(groupId: string, replies: HeartbeatReply[]): Promise<HeartbeatReply[]> {
  let current = replies;
  for (let round = 0; round < 5; round++) current = await Promise.all(current.map((r) => beat(groupId, r)));
  return current;
}

const partitionsOf = (replies: readonly HeartbeatReply[]) =>
  replies
    .flatMap((r) => r.assignment.map((tp) => `${tp.topic}#${tp.partition}`))
    .sort();

describe('rebalance triggers', () => {
  it('rebalances when a member joins, handing a partition over only after its owner released it', async () => {
    await admin().createTopics({ topics: [{ topic: 'join-t', numPartitions: 4 }] });
    const a = await join('join-g', 'a', { subscribedTopics: ['join-t'] });
    expect(a).toMatchObject({ memberEpoch: 1, groupEpoch: 1, assignment: tps('join-t', [0, 1, 2, 3]) });
    const b = await join('join-g', 'b', { subscribedTopics: ['join-t'] });
    expect(b).toMatchObject({ groupEpoch: 2, assignment: [] });
    const a2 = await beat('join-g', a);
    expect(a2.assignment).toHaveLength(2);
    expect(a2.memberEpoch).toBe(1);
    const b2 = await beat('join-g', b);
    expect(b2.assignment).toEqual([]);
    const a3 = await beat('join-g', a2);
    expect(a3.memberEpoch).toBe(2);
    const b3 = await beat('join-g', b2);
    expect(partitionsOf([a3, b3])).toEqual(['join-t#0', 'join-t#1', 'join-t#2', 'join-t#3']);
    const [described] = (await admin().describeGroups(['join-g'])).groups;
    expect(described).toMatchObject({ state: 'Stable', groupEpoch: 2, protocol: 'cooperative-sticky', protocolType: 'consumer' });
  });

  it('rebalances when a member leaves, and its partitions go to the others', async () => {
    await admin().createTopics({ topics: [{ topic: 'leave-t', numPartitions: 4 }] });
    const [a] = await settle('leave-g', [await join('leave-g', 'a', { subscribedTopics: ['leave-t'] }), await join('leave-g', 'b', { subscribedTopics: ['leave-t'] })]);
    const left = await g.heartbeat({ groupId: 'leave-g', memberId: 'b', memberEpoch: -1 });
    expect(left).toMatchObject({ memberEpoch: -1, assignment: [] });
    expect(left.groupEpoch).toBe(a!.groupEpoch + 1);
    expect((await beat('leave-g', a!)).assignment).toEqual(tps('leave-t', [0, 1, 2, 3]));
  });

  it('rebalances when a member dies: past its session it is expired and its partitions reassigned', async () => {
    await admin().createTopics({ topics: [{ topic: 'die-t', numPartitions: 4 }] });
    const [a, b] = await settle('die-g', [
      await join('die-g', 'a', { subscribedTopics: ['die-t'] }, { sessionTimeoutMs: 90_000 }),
      await join('die-g', 'b', { subscribedTopics: ['die-t'] }, { sessionTimeoutMs: 30_000 }),
    ]);
    expect(b!.assignment).toHaveLength(2);
    g.clock.advance(30_000);
    const a2 = await beat('die-g', a!);
    expect(a2.groupEpoch).toBe(a!.groupEpoch + 1);
    expect(a2.assignment).toEqual(tps('die-t', [0, 1, 2, 3]));
    await expectCode(() => beat('die-g', b!), 'UnknownMemberId');
  });

  it('rebalances when a subscribed topic is deleted', async () => {
    await admin().createTopics({ topics: [{ topic: 'del-a', numPartitions: 2 }, { topic: 'del-b', numPartitions: 2 }] });
    const [a] = await settle('del-g', [await join('del-g', 'a', { subscribedTopics: ['del-a', 'del-b'] })]);
    expect(a!.assignment).toHaveLength(4);
    await admin().deleteTopics({ topics: ['del-b'] });
    g.clock.advance(TOPIC_CACHE_MS);
    const a2 = await beat('del-g', a!);
    expect(a2.groupEpoch).toBe(a!.groupEpoch + 1);
    expect(a2.assignment).toEqual(tps('del-a', [0, 1]));
  });

  it('rebalances when a topic matching the subscribed regex is created', async () => {
    await admin().createTopics({ topics: [{ topic: 'rx-one', numPartitions: 2 }] });
    g.clock.advance(TOPIC_CACHE_MS);
    const [a] = await settle('rx-g', [await join('rx-g', 'a', { subscribedTopicRegex: 'rx-.*' })]);
    expect(a!.assignment).toEqual(tps('rx-one', [0, 1]));
    await admin().createTopics({ topics: [{ topic: 'rx-two', numPartitions: 1 }, { topic: 'not-rx', numPartitions: 1 }] });
    g.clock.advance(TOPIC_CACHE_MS);
    const a2 = await beat('rx-g', a!);
    expect(a2.groupEpoch).toBe(a!.groupEpoch + 1);
    expect(a2.assignment).toEqual([...tps('rx-one', [0, 1]), ...tps('rx-two', [0])]);
  });

  it('rebalances when a subscribed topic gains partitions', async () => {
    await admin().createTopics({ topics: [{ topic: 'grow-t', numPartitions: 2 }] });
    const [a] = await settle('grow-g', [await join('grow-g', 'a', { subscribedTopics: ['grow-t'] })]);
    await admin().createPartitions({ topicPartitions: [{ topic: 'grow-t', count: 3 }] });
    g.clock.advance(TOPIC_CACHE_MS);
    const a2 = await beat('grow-g', a!);
    expect(a2.groupEpoch).toBe(a!.groupEpoch + 1);
    expect(a2.assignment).toEqual(tps('grow-t', [0, 1, 2]));
  });

  it('does not rebalance on a steady heartbeat', async () => {
    await admin().createTopics({ topics: [{ topic: 'steady-t', numPartitions: 2 }] });
    const [a] = await settle('steady-g', [await join('steady-g', 'a', { subscribedTopics: ['steady-t'] })]);
    const a2 = await beat('steady-g', a!);
    expect(a2).toEqual(a);
  });

  it('rebalances when a subscription changes', async () => {
    await admin().createTopics({ topics: [{ topic: 'sub-a', numPartitions: 1 }, { topic: 'sub-b', numPartitions: 1 }] });
    const [a] = await settle('sub-g', [await join('sub-g', 'a', { subscribedTopics: ['sub-a'] })]);
    const a2 = await g.heartbeat({ groupId: 'sub-g', memberId: 'a', memberEpoch: a!.memberEpoch, subscribedTopics: ['sub-b'], ownedPartitions: a!.assignment });
    expect(a2.groupEpoch).toBe(a!.groupEpoch + 1);
    expect(a2.assignment).toEqual([]);
    const a3 = await g.heartbeat({ groupId: 'sub-g', memberId: 'a', memberEpoch: a2.memberEpoch, ownedPartitions: [] });
    expect(a3.assignment).toEqual(tps('sub-b', [0]));
  });

  it('sweeps groups nobody heartbeats: expireMembers removes dead members', async () => {
    await admin().createTopics({ topics: [{ topic: 'sweep-t', numPartitions: 1 }] });
    await join('sweep-g', 'a', { subscribedTopics: ['sweep-t'] });
    g.clock.advance(SESSION_MS + 1);
    const ctx = createBrokerContext({ dynamodb: g.t.clients.dynamodb, s3: g.t.clients.s3, tables: g.t.tables, bucket: g.t.bucket, now: g.clock.now });
    const summary = await expireMembers(createGroupDeps(ctx));
    expect(summary.changed).toBeGreaterThanOrEqual(1);
    const [described] = (await admin().describeGroups(['sweep-g'])).groups;
    expect(described).toMatchObject({ state: 'Empty', members: [] });
    expect((await admin().listGroups()).groups.find((l) => l.groupId === 'sweep-g')).toEqual({ groupId: 'sweep-g', protocolType: 'consumer', state: 'Empty', members: 0 });
  });
});

describe('fencing', () => {
  it('refuses a member that wakes after its session expired: no heartbeat, no commit', async () => {
    await admin().createTopics({ topics: [{ topic: 'wake-t', numPartitions: 2 }] });
    const a = await join('wake-g', 'a', { subscribedTopics: ['wake-t'] }, { sessionTimeoutMs: 5_000 });
    g.clock.advance(5_000);
    const before = await g.groupItems();
    const err = await expectCode(() => g.commit({ groupId: 'wake-g', memberId: 'a', memberEpoch: a.memberEpoch, offsets: [{ topic: 'wake-t', partition: 0, offset: 1 }] }), 'UnknownMemberId');
    expect(err.message).toContain('session expired');
    expect(await g.groupItems()).toEqual(before);
    await expectCode(() => beat('wake-g', a), 'UnknownMemberId');
    await expectCode(() => g.commit({ groupId: 'wake-g', memberId: 'a', memberEpoch: a.memberEpoch, offsets: [{ topic: 'wake-t', partition: 0, offset: 1 }] }), 'UnknownMemberId');
    expect(await committed('wake-g')).toEqual([]);
  });

  it('fences a heartbeat or commit with a stale epoch, and a commit for a partition the member does not own', async () => {
    await admin().createTopics({ topics: [{ topic: 'fence-t', numPartitions: 2 }] });
    const [a, b] = await settle('fence-g', [await join('fence-g', 'a', { subscribedTopics: ['fence-t'] }), await join('fence-g', 'b', { subscribedTopics: ['fence-t'] })]);
    await expectCode(() => g.heartbeat({ groupId: 'fence-g', memberId: 'a', memberEpoch: a!.memberEpoch + 7, ownedPartitions: [] }), 'FencedMemberEpoch');
    await expectCode(() => g.commit({ groupId: 'fence-g', memberId: 'a', memberEpoch: a!.memberEpoch + 7, offsets: [{ ...a!.assignment[0]!, offset: 1 }] }), 'FencedMemberEpoch');
    await expectCode(() => g.commit({ groupId: 'fence-g', memberId: 'a', memberEpoch: a!.memberEpoch, offsets: [{ ...b!.assignment[0]!, offset: 1 }] }), 'StaleMemberEpoch');
    expect(await committed('fence-g')).toEqual([]);
  });
});

describe('static membership', () => {
  it('gives a static member that comes back within its session its partitions, with no rebalance', async () => {
    await admin().createTopics({ topics: [{ topic: 'static-t', numPartitions: 4 }] });
    const [a, b] = await settle('static-g', [
      await join('static-g', 'a1', { subscribedTopics: ['static-t'] }, { instanceId: 'host-a' }),
      await join('static-g', 'b', { subscribedTopics: ['static-t'] }),
    ]);
    const left = await g.heartbeat({ groupId: 'static-g', memberId: 'a1', memberEpoch: -2, instanceId: 'host-a' });
    expect(left.memberEpoch).toBe(-2);
    expect((await beat('static-g', b!)).assignment).toEqual(b!.assignment);
    const back = await join('static-g', 'a2', { subscribedTopics: ['static-t'] }, { instanceId: 'host-a' });
    expect(back).toMatchObject({ memberId: 'a2', groupEpoch: a!.groupEpoch, assignment: a!.assignment });
    await expectCode(() => beat('static-g', a!), 'UnknownMemberId');
  });

  it('lets a restarted static member that never left take over, fencing the old incarnation', async () => {
    await admin().createTopics({ topics: [{ topic: 'crash-t', numPartitions: 2 }] });
    const [old] = await settle('crash-g', [await join('crash-g', 'old', { subscribedTopics: ['crash-t'] }, { instanceId: 'host-c' })]);
    const fresh = await join('crash-g', 'new', { subscribedTopics: ['crash-t'] }, { instanceId: 'host-c' });
    expect(fresh).toMatchObject({ memberId: 'new', assignment: old!.assignment, groupEpoch: old!.groupEpoch });
    await expectCode(() => g.commit({ groupId: 'crash-g', memberId: 'old', memberEpoch: old!.memberEpoch, offsets: [{ ...old!.assignment[0]!, offset: 1 }] }), 'UnknownMemberId');
  });
});

describe('offsets', () => {
  it('are written as committed: an explicit commit after a seek moves the offset back, as in Kafka', async () => {
    await admin().createTopics({ topics: [{ topic: 'mono-t', numPartitions: 1 }] });
    const a = await join('mono-g', 'a', { subscribedTopics: ['mono-t'] });
    const commit = (offset: number) => g.commit({ groupId: 'mono-g', memberId: 'a', memberEpoch: a.memberEpoch, offsets: [{ topic: 'mono-t', partition: 0, offset, metadata: `m${offset}` }] });
    expect((await commit(10)).offsets).toEqual([{ topic: 'mono-t', partition: 0, offset: 10, applied: true }]);
    expect((await commit(5)).offsets).toEqual([{ topic: 'mono-t', partition: 0, offset: 5, applied: true }]);
    const stored = await admin().fetchOffsets({ groupId: 'mono-g' });
    expect(stored).toEqual([{ topic: 'mono-t', partitions: [{ partition: 0, offset: '5', metadata: 'm5' }] }]);

    // A fenced member still cannot move it, forward or back.
    await expectCode(() => g.commit({ groupId: 'mono-g', memberId: 'a', memberEpoch: a.memberEpoch + 7, offsets: [{ topic: 'mono-t', partition: 0, offset: 2 }] }), 'FencedMemberEpoch');

    await g.heartbeat({ groupId: 'mono-g', memberId: 'a', memberEpoch: -1 });
    const outside = await g.commit({ groupId: 'mono-g', offsets: [{ topic: 'mono-t', partition: 0, offset: 3 }] });
    expect(outside.offsets).toEqual([{ topic: 'mono-t', partition: 0, offset: 3, applied: true }]);
    expect((await committed('mono-g'))[0]!.offset).toBe(3);
  });

  it('refuses a commit from outside the group while it has live members', async () => {
    await admin().createTopics({ topics: [{ topic: 'outside-t', numPartitions: 1 }] });
    await join('outside-g', 'a', { subscribedTopics: ['outside-t'] });
    await expectCode(() => g.commit({ groupId: 'outside-g', offsets: [{ topic: 'outside-t', partition: 0, offset: 3 }] }), 'UnknownMemberId');
  });

  it('resets offsets (backward too) only while the group has no live members', async () => {
    await admin().createTopics({ topics: [{ topic: 'reset-t', numPartitions: 2 }] });
    const producer = g.t.kafkaless.producer();
    const base = 1_600_000_000_000;
    await producer.send({ topic: 'reset-t', messages: Array.from({ length: 10 }, (_, i) => ({ value: `v${i}`, partition: 0, timestamp: base + i * 1000 })) });
    await producer.disconnect();
    const a = await join('reset-g', 'a', { subscribedTopics: ['reset-t'] });
    await g.commit({ groupId: 'reset-g', memberId: 'a', memberEpoch: a.memberEpoch, offsets: [{ topic: 'reset-t', partition: 0, offset: 8 }] });
    await expectCode(() => admin().resetOffsets({ groupId: 'reset-g', topic: 'reset-t', to: 'earliest' }), 'NonEmptyGroup');
    await expectCode(() => admin().resetOffsets({ groupId: 'reset-g', topic: 'reset-t', to: 'earliest', dryRun: true }), 'NonEmptyGroup');
    await g.heartbeat({ groupId: 'reset-g', memberId: 'a', memberEpoch: -1 });

    const dry = await admin().resetOffsets({ groupId: 'reset-g', topic: 'reset-t', to: 'earliest', dryRun: true });
    expect(dry.offsets).toEqual([
      { topic: 'reset-t', partition: 0, offset: 0, previousOffset: 8 },
      { topic: 'reset-t', partition: 1, offset: 0, previousOffset: null },
    ]);
    expect((await committed('reset-g'))[0]!.offset).toBe(8);
    await admin().resetOffsets({ groupId: 'reset-g', topic: 'reset-t', partitions: [0], to: 'earliest' });
    expect((await committed('reset-g')).map((o) => o.offset)).toEqual([0]);
    await admin().resetOffsets({ groupId: 'reset-g', topic: 'reset-t', partitions: [0], to: { timestamp: base + 4_500 } });
    expect((await committed('reset-g'))[0]!.offset).toBe(5);
    await admin().resetOffsets({ groupId: 'reset-g', topic: 'reset-t', partitions: [0], to: { offset: 99 } });
    expect((await committed('reset-g'))[0]!.offset).toBe(10);
    await admin().resetOffsets({ groupId: 'reset-g', topic: 'reset-t', to: 'latest' });
    expect((await committed('reset-g')).map((o) => o.offset)).toEqual([10, 0]);
  });
});

describe('administration', () => {
  it('describes members and per-partition lag, lists, and deletes only empty groups', async () => {
    await admin().createTopics({ topics: [{ topic: 'adm-t', numPartitions: 2 }] });
    const producer = g.t.kafkaless.producer();
    await producer.send({ topic: 'adm-t', messages: Array.from({ length: 6 }, (_, i) => ({ value: `v${i}`, partition: i % 2 })) });
    await producer.disconnect();
    const a = await join('adm-g', 'a', { subscribedTopics: ['adm-t'] }, { instanceId: 'i-a' });
    await g.commit({ groupId: 'adm-g', memberId: 'a', memberEpoch: a.memberEpoch, offsets: [{ topic: 'adm-t', partition: 0, offset: 1 }] });
    const [described] = (await admin().describeGroups(['adm-g'])).groups;
    expect(described!.members).toEqual([expect.objectContaining({ memberId: 'a', instanceId: 'i-a', memberEpoch: a.memberEpoch, assignment: [{ topic: 'adm-t', partitions: [0, 1] }] })]);
    expect(described!.partitions).toEqual([
      { topic: 'adm-t', partition: 0, committedOffset: 1, logEndOffset: 3, lag: 2, memberId: 'a', instanceId: 'i-a' },
      { topic: 'adm-t', partition: 1, committedOffset: null, logEndOffset: 3, lag: null, memberId: 'a', instanceId: 'i-a' },
    ]);
    expect((await admin().listGroups()).groups.find((l) => l.groupId === 'adm-g')).toEqual({ groupId: 'adm-g', protocolType: 'consumer', state: 'Stable', members: 1 });
    await expectCode(() => admin().deleteGroups(['adm-g']), 'NonEmptyGroup');
    await g.heartbeat({ groupId: 'adm-g', memberId: 'a', memberEpoch: -1 });
    await admin().deleteGroups(['adm-g']);
    expect((await admin().listGroups()).groups.some((l) => l.groupId === 'adm-g')).toBe(false);
    await expectCode(() => admin().fetchOffsets({ groupId: 'adm-g' }), 'GroupIdNotFound');
    expect((await g.groupItems()).some((item) => String(item).includes('"adm-g"'))).toBe(false);
  });
});

describe('bad input changes nothing', () => {
  it('answers each bad request with its typed error and leaves the groups table as it was', async () => {
    await admin().createTopics({ topics: [{ topic: 'bad-t', numPartitions: 1 }] });
    const a = await join('bad-g', 'a', { subscribedTopics: ['bad-t'] });
    const before = await g.groupItems();
    const cases: [string, () => Promise<unknown>][] = [
      ['InvalidGroupId', () => join('', 'x', { subscribedTopics: ['bad-t'] })],
      ['UnsupportedAssignor', () => join('bad-g', 'x', { subscribedTopics: ['bad-t'] }, { assignor: 'uniform' })],
      ['InvalidTopic', () => join('bad-g', 'x', { subscribedTopics: ['no way'] })],
      ['InvalidRequest', () => join('bad-g', 'x', { subscribedTopicRegex: '(' })],
      ['InvalidRequest', () => join('bad-g', 'x', { subscribedTopics: ['bad-t'], subscribedTopicRegex: 'bad.*' })],
      ['InvalidRequest', () => join('bad-g', 'x', {})],
      ['InvalidSessionTimeout', () => join('bad-g', 'x', { subscribedTopics: ['bad-t'] }, { sessionTimeoutMs: 5 })],
      ['InvalidRequest', () => g.heartbeat({ groupId: 'bad-g', memberId: 'a', memberEpoch: 'one' })],
      ['GroupIdNotFound', () => g.heartbeat({ groupId: 'no-such-group', memberId: 'a', memberEpoch: 3 })],
      ['UnknownMemberId', () => g.heartbeat({ groupId: 'bad-g', memberId: 'nobody', memberEpoch: 3 })],
      ['InvalidRequest', () => g.commit({ groupId: 'bad-g', memberId: 'a', memberEpoch: a.memberEpoch, offsets: [{ topic: 'bad-t', partition: 0, offset: 1 }, { topic: 'bad-t', partition: 0, offset: 2 }] })],
      ['InvalidRequest', () => g.commit({ groupId: 'bad-g', memberId: 'a', offsets: [{ topic: 'bad-t', partition: 0, offset: 1 }] })],
      ['InvalidRequest', () => g.commit({ groupId: 'bad-g', memberId: 'a', memberEpoch: a.memberEpoch, offsets: [{ topic: 'bad-t', partition: 0, offset: -1 }] })],
      ['InvalidTopic', () => g.commit({ groupId: 'bad-g', memberId: 'a', memberEpoch: a.memberEpoch, offsets: [{ topic: '..', partition: 0, offset: 1 }] })],
      ['UnknownTopicOrPartition', () => g.commit({ groupId: 'bad-empty-g', offsets: [{ topic: 'bad-t', partition: 5, offset: 1 }] })],
      ['InvalidGroupId', () => admin().describeGroups([''])],
      ['GroupIdNotFound', () => admin().describeGroups(['no-such-group'])],
      ['GroupIdNotFound', () => admin().deleteGroups(['no-such-group'])],
      ['NonEmptyGroup', () => admin().deleteGroups(['bad-g'])],
      ['UnknownTopicOrPartition', () => admin().resetOffsets({ groupId: 'bad-g', topic: 'no-such-topic', to: 'earliest' })],
      ['UnknownTopicOrPartition', () => admin().resetOffsets({ groupId: 'bad-g', topic: 'bad-t', partitions: [3], to: 'earliest' })],
      ['NonEmptyGroup', () => admin().resetOffsets({ groupId: 'bad-g', topic: 'bad-t', to: 'earliest' })],
      ['GroupIdNotFound', () => admin().deleteGroupOffsets({ groupId: 'no-such-group', topics: [{ topic: 'bad-t' }] })],
      ['UnknownTopicOrPartition', () => admin().deleteGroupOffsets({ groupId: 'bad-g', topics: [{ topic: 'no-such-topic' }] })],
      ['UnknownTopicOrPartition', () => admin().deleteConsumerGroupOffsets('bad-g', [{ topic: 'bad-t', partition: 4 }])],
      ['GroupSubscribedToTopic', () => admin().deleteConsumerGroupOffsets('bad-g', [{ topic: 'bad-t', partition: 0 }])],
      ['InvalidRequest', () => admin().setOffsets({ groupId: 'bad-g', topic: 'bad-t', partitions: [{ partition: 0, offset: 'ten' }] })],
    ];
    for (const [code, action] of cases) {
      const err = await expectCode(action, code);
      expect(err.message.length).toBeGreaterThan(10);
      expect(await g.groupItems()).toEqual(before);
    }
  });

  it('writes nothing when a step crashes between reading the group and writing it', async () => {
    await admin().createTopics({ topics: [{ topic: 'crashy-t', numPartitions: 1 }] });
    const faults = {
      armed: true,
      async at(point: string): Promise<void> {
        if (faults.armed && point === 'group.beforeWrite') throw new Error('injected crash');
      },
    };
    const crashing = g.t.another({ faults });
    await join('crashy-g', 'a', { subscribedTopics: ['crashy-t'] });
    const before = await g.groupItems();
    const request = { action: 'heartbeat', groupId: 'crashy-g', memberId: 'b', memberEpoch: 0, subscribedTopics: ['crashy-t'], sessionTimeoutMs: SESSION_MS };
    expect(await crashing.transport.invoke('group', request)).toMatchObject({ ok: false, error: { code: 'UnknownServerError' } });
    expect(await g.groupItems()).toEqual(before);
    faults.armed = false;
    expect(await crashing.transport.invoke('group', request)).toMatchObject({ ok: true, result: { memberId: 'b' } });
  });
});
