import { hostname } from 'node:os';
import { AssignerProtocol } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { committedOffsetsOf } from '../../lib/client/admin-groups.js';
import type { HeartbeatReply } from '../../lib/protocol/group-replies.js';
import { createGroupTestbed, expectCode, type GroupTestbed } from './coordinator-helpers.js';

let g: GroupTestbed;
beforeAll(async () => {
  g = await createGroupTestbed();
});
afterAll(async () => g?.t.close());

const admin = () => g.t.kafkaless.admin();
const committed = async (groupId: string) => committedOffsetsOf(await admin().fetchOffsets({ groupId }));

async function join(groupId: string, memberId: string, topics: string[], extra: Record<string, unknown> = {}): Promise<HeartbeatReply> {
  return g.heartbeat({ groupId, memberId, memberEpoch: 0, sessionTimeoutMs: 60_000, subscribedTopics: topics, ...extra });
}

async function fill(topic: string, partitions: number, perPartition: number): Promise<void> {
  await admin().createTopics({ topics: [{ topic, numPartitions: partitions }] });
  const producer = g.t.kafkaless.producer();
  for (let p = 0; p < partitions; p++) await producer.send({ topic, messages: Array.from({ length: perPartition }, (_, i) => ({ value: `v${i}`, partition: p })) });
  await producer.disconnect();
}

describe('describeGroups in kafkajs shapes', () => {
  it('gives members with client id, host, decodable assignment and metadata bytes, and assignments as topic/partition lists', async () => {
    await admin().createTopics({ topics: [{ topic: 'dg-t', numPartitions: 3 }] });
    const a = await join('dg-g', 'a', ['dg-t'], { clientId: 'billing', clientHost: '/10.0.0.7' });
    const [group] = (await admin().describeGroups(['dg-g'])).groups;
    expect(group).toMatchObject({ groupId: 'dg-g', state: 'Stable', protocol: 'cooperative-sticky', protocolType: 'consumer', groupEpoch: a.groupEpoch });
    const [member] = group!.members;
    expect(member).toMatchObject({ memberId: 'a', clientId: 'billing', clientHost: '/10.0.0.7', assignment: [{ topic: 'dg-t', partitions: [0, 1, 2] }], subscribedTopics: ['dg-t'] });
    expect(AssignerProtocol.MemberAssignment.decode(member!.memberAssignment)).toEqual({ version: 0, assignment: { 'dg-t': [0, 1, 2] }, userData: Buffer.alloc(0) });
    expect(AssignerProtocol.MemberMetadata.decode(member!.memberMetadata)).toEqual({ version: 0, topics: ['dg-t'], userData: Buffer.alloc(0) });
    expect(await admin().deleteGroups(['dg-g']).catch((e: { code: string }) => e.code)).toBe('NonEmptyGroup');
    await g.heartbeat({ groupId: 'dg-g', memberId: 'a', memberEpoch: -1 });
    expect(await admin().deleteGroups(['dg-g'])).toEqual([{ groupId: 'dg-g', errorCode: 0 }]);
  });
});

describe('a consumer\'s client id and host', () => {
  it('are sent on join and shown by describeGroups, kafkaless by default', async () => {
    await admin().createTopics({ topics: [{ topic: 'cid-t', numPartitions: 1 }] });
    const named = g.t.kafkaless.consumer({ groupId: 'cid-g', clientId: 'billing', 'enable.auto.commit': false });
    const unnamed = g.t.kafkaless.consumer({ 'group.id': 'cid-g', 'enable.auto.commit': false });
    named.subscribe({ topic: 'cid-t' });
    unnamed.subscribe({ topic: 'cid-t' });
    try {
      await named.poll({ timeoutMs: 10 });
      await unnamed.poll({ timeoutMs: 10 });
      await named.poll({ timeoutMs: 10 });
      const [group] = (await admin().describeGroups(['cid-g'])).groups;
      expect(group!.members.map((m) => [m.clientId, m.clientHost]).sort()).toEqual([
        ['billing', hostname()],
        ['kafkaless', hostname()],
      ]);
    } finally {
      await named.disconnect();
      await unnamed.disconnect();
    }
  });

  it('refuses a client.id longer than the coordinator stores', () => {
    expect(() => g.t.kafkaless.consumer({ groupId: 'cid-g', 'client.id': 'x'.repeat(256) })).toThrow(/client\.id/);
  });
});

describe('setting and deleting offsets', () => {
  it('sets offsets as kafkajs and Java do, also backward, only while the group has no live members', async () => {
    await fill('set-t', 2, 5);
    await admin().setOffsets({ groupId: 'set-g', topic: 'set-t', partitions: [{ partition: 0, offset: '4' }, { partition: 1, offset: 3 }] });
    expect(await admin().fetchOffsets({ groupId: 'set-g', topics: ['set-t'] })).toEqual([
      { topic: 'set-t', partitions: [{ partition: 0, offset: '4', metadata: '' }, { partition: 1, offset: '3', metadata: '' }] },
    ]);
    await admin().alterConsumerGroupOffsets('set-g', [{ topic: 'set-t', partition: 0, offset: 1, metadata: 'rewound' }]);
    expect((await admin().fetchOffsets({ groupId: 'set-g' }))[0]!.partitions[0]).toEqual({ partition: 0, offset: '1', metadata: 'rewound' });
    await join('set-g', 'a', ['set-t']);
    await expectCode(() => admin().setOffsets({ groupId: 'set-g', topic: 'set-t', partitions: [{ partition: 0, offset: 0 }] }), 'UnknownMemberId');
    expect((await committed('set-g')).map((o) => o.offset)).toEqual([1, 3]);
  });

  it('resets to the current offset or shifted by N, clamped to the log, and refuses a shift without a committed offset', async () => {
    await fill('shift-t', 2, 10);
    await admin().setOffsets({ groupId: 'shift-g', topic: 'shift-t', partitions: [{ partition: 0, offset: 6 }] });
    const current = await admin().resetOffsets({ groupId: 'shift-g', topic: 'shift-t', to: 'current', dryRun: true });
    expect(current.offsets.map((o) => [o.partition, o.offset, o.previousOffset])).toEqual([
      [0, 6, 6],
      [1, 10, null],
    ]);
    await expectCode(() => admin().resetOffsets({ groupId: 'shift-g', topic: 'shift-t', to: { shiftBy: -2 } }), 'InvalidRequest');
    expect((await committed('shift-g')).map((o) => o.offset)).toEqual([6]);
    await admin().resetOffsets({ groupId: 'shift-g', topic: 'shift-t', partitions: [0], to: { shiftBy: -2 } });
    expect((await committed('shift-g')).map((o) => o.offset)).toEqual([4]);
    await admin().resetOffsets({ groupId: 'shift-g', topic: 'shift-t', partitions: [0], to: { shiftBy: 100 } });
    expect((await committed('shift-g')).map((o) => o.offset)).toEqual([10]);
    await admin().resetOffsets({ groupId: 'shift-g', topic: 'shift-t', earliest: true });
    expect((await committed('shift-g')).map((o) => o.offset)).toEqual([0, 0]);
  });

  it('deletes offsets of partitions no live member consumes; refuses a subscribed topic and changes nothing', async () => {
    await fill('del-a', 2, 3);
    await fill('del-b', 1, 3);
    await admin().alterConsumerGroupOffsets('del-g', [
      { topic: 'del-a', partition: 0, offset: 1 },
      { topic: 'del-a', partition: 1, offset: 2 },
      { topic: 'del-b', partition: 0, offset: 3 },
    ]);
    expect(await admin().deleteConsumerGroupOffsets('del-g', [{ topic: 'del-a', partition: 1 }])).toEqual({ partitions: [{ topic: 'del-a', partition: 1 }] });
    expect((await committed('del-g')).map((o) => `${o.topic}:${o.partition}`)).toEqual(['del-a:0', 'del-b:0']);

    await join('del-g', 'a', ['del-b']);
    const before = await g.groupItems();
    const err = await expectCode(() => admin().deleteGroupOffsets({ groupId: 'del-g', topics: [{ topic: 'del-a' }, { topic: 'del-b' }] }), 'GroupSubscribedToTopic');
    expect(err.message).toContain("'del-b'");
    expect(await g.groupItems()).toEqual(before);
    await admin().deleteGroupOffsets({ groupId: 'del-g', topics: [{ topic: 'del-a' }] });
    expect((await committed('del-g')).map((o) => `${o.topic}:${o.partition}`)).toEqual(['del-b:0']);
  });
});
