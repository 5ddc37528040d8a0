/**
 * Heartbeats that change only the member's own item: a quiet beat reads the
 * meta and the member item (one BatchGetItem) and updates the member's
 * liveness (one UpdateItem), writing nothing the group shares; a beat after
 * a rebalance that only moves the member's epoch or its revocations writes
 * its own item alone; expiry of a dead member is found by the sweep the meta
 * schedules, without a whole-group read on every beat.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberAloneStep } from '../../lib/broker/groups/quiet-heartbeat.js';
import { documentClient } from '../../lib/storage/document-client.js';
import type { HeartbeatReply } from '../../lib/protocol/group-replies.js';
import type { GroupMember, GroupMeta } from '../../lib/storage/group-records.js';
import type { MemberView } from '../../lib/storage/group-store.js';
import { beatAfter, countCommands, createGroupTestbed, joinGroup, tps, type CommandCounter, type GroupTestbed } from './coordinator-helpers.js';

let g: GroupTestbed;
const SESSION_MS = 30_000;
let counter: CommandCounter;

beforeAll(async () => {
  g = await createGroupTestbed();
  counter = countCommands(g);
});
afterAll(async () => g?.t.close());

const admin = () => g.t.kafkaless.admin();
const join = (groupId: string, memberId: string, topic: string) => joinGroup(g, groupId, memberId, topic, SESSION_MS);
const beat = (groupId: string, last: HeartbeatReply) => beatAfter(g, groupId, last);
const meta = async (groupId: string) =>
  (await documentClient(g.t.clients.dynamodb).send(new GetCommand({ TableName: g.t.tables.groups, Key: { pk: groupId, sk: 'meta' }, ConsistentRead: true }))).Item!;

const counted = <T>(work: () => Promise<T>) => counter.counted(work);

describe('a quiet heartbeat', () => {
  it('reads the meta and member items in one request, its topics by key, and writes the member item alone; the meta item stays as it was', async () => {
    await admin().createTopics({ topics: [{ topic: 'quiet-t', numPartitions: 4 }] });
    let a = await join('quiet-g', 'a', 'quiet-t');
    let b = await join('quiet-g', 'b', 'quiet-t');
    for (let i = 0; i < 4; i++) [a, b] = await Promise.all([beat('quiet-g', a), beat('quiet-g', b)]);
    expect([...a.assignment, ...b.assignment]).toHaveLength(4);
    const before = await meta('quiet-g');
    expect(before.targetAssignment).toBeUndefined();
    g.clock.advance(1_000);
    const { result, commands: sent } = await counted(() => beat('quiet-g', a));
    expect(result).toEqual(a);
    // The group's two items in one BatchGetItem, the subscribed topic by key (its cached metadata is a second old), one small write.
    expect(sent).toEqual(['BatchGetItem', 'BatchGetItem', 'UpdateItem']);
    expect((await counted(() => beat('quiet-g', a))).commands).toEqual(['BatchGetItem', 'UpdateItem']);
    expect(await meta('quiet-g')).toEqual(before);
    const [described] = (await admin().describeGroups(['quiet-g'])).groups;
    expect(described!.state).toBe('Stable');
    const item = await documentClient(g.t.clients.dynamodb).send(new GetCommand({ TableName: g.t.tables.groups, Key: { pk: 'quiet-g', sk: 'member#a' }, ConsistentRead: true }));
    expect(item.Item).toMatchObject({ lastHeartbeatMs: g.clock.now(), target: a.assignment.map((tp) => `${tp.topic}#${tp.partition}`) });
  });

  it('after a rebalance, moves the epoch of a member whose target did not change without a group step', async () => {
    await admin().createTopics({ topics: [{ topic: 'epoch-t', numPartitions: 2 }, { topic: 'epoch-u', numPartitions: 1 }] });
    let a = await join('epoch-g', 'a', 'epoch-t');
    for (let i = 0; i < 2; i++) a = await beat('epoch-g', a);
    // b subscribes to another topic: a's target stays, the group epoch moves on.
    let b = await join('epoch-g', 'b', 'epoch-u');
    expect(b.groupEpoch).toBe(a.groupEpoch + 1);
    const { result, commands: sent } = await counted(() => beat('epoch-g', a));
    expect(result).toMatchObject({ memberEpoch: b.groupEpoch, assignment: tps('epoch-t', [0, 1]) });
    expect(sent.filter((c) => c !== 'BatchGetItem')).toEqual(['PutItem']);
    b = await beat('epoch-g', b);
    a = await beat('epoch-g', result);
    const [described] = (await admin().describeGroups(['epoch-g'])).groups;
    expect(described!.state).toBe('Stable');
  });

  it('finds a dead member by the sweep the meta schedules, and hands its partitions on', async () => {
    await admin().createTopics({ topics: [{ topic: 'sweep2-t', numPartitions: 2 }] });
    let a = await join('sweep2-g', 'a', 'sweep2-t');
    let b = await join('sweep2-g', 'b', 'sweep2-t');
    for (let i = 0; i < 4; i++) [a, b] = await Promise.all([beat('sweep2-g', a), beat('sweep2-g', b)]);
    expect(a.assignment).toHaveLength(1);
    const sweepAtMs = Number((await meta('sweep2-g')).sweepAtMs);
    expect(sweepAtMs).toBeGreaterThan(g.clock.now());
    // b dies; a keeps beating past b's session end.
    for (let t = 0; t < SESSION_MS + 2_000; t += 10_000) {
      g.clock.advance(Math.min(10_000, SESSION_MS + 2_000 - t));
      a = await beat('sweep2-g', a);
    }
    for (let i = 0; i < 2; i++) a = await beat('sweep2-g', a);
    expect(a.assignment).toEqual(tps('sweep2-t', [0, 1]));
    const [described] = (await admin().describeGroups(['sweep2-g'])).groups;
    expect(described!.members.map((m) => m.memberId)).toEqual(['a']);
  });
});

describe('memberAloneStep', () => {
  const metaOf = (fields: Partial<GroupMeta> = {}): GroupMeta => ({
    groupId: 'g',
    groupEpoch: 3,
    assignmentEpoch: 3,
    assignor: 'cooperative-sticky',
    targetAssignment: {},
    topicsSnapshot: { t: { topicId: 'id', partitions: 4 } },
    state: 'STABLE',
    memberCount: 2,
    nextJoinOrder: 2,
    createdAtMs: 0,
    version: 9,
    sweepAtMs: 50_000,
    ...fields,
  });
  const memberOf = (fields: Partial<GroupMember> = {}): GroupMember => ({
    memberId: 'a',
    memberEpoch: 3,
    previousMemberEpoch: 2,
    subscribedTopics: ['t'],
    assigned: tps('t', [0, 1]),
    revoking: [],
    lastHeartbeatMs: 1_000,
    sessionTimeoutMs: SESSION_MS,
    joinOrder: 0,
    ...fields,
  });
  const topics = new Map([['t', { topicId: 'id', partitions: 4 }]]);
  const view = (member: GroupMember, target = tps('t', [0, 1]), meta = metaOf()): MemberView => ({ meta, member, target, memberVersion: 5, stored: { version: 5, commits: 0, offsets: [] } });
  const input = (member: GroupMember, extra: Record<string, unknown> = {}) => ({ groupId: 'g', memberId: 'a', memberEpoch: member.memberEpoch, subscribedTopics: ['t'], ...extra });

  it('is quiet when nothing but the liveness changes', () => {
    const m = memberOf();
    expect(memberAloneStep(view(m), input(m), 2_000, topics)).toEqual({ member: { ...m, lastHeartbeatMs: 2_000 }, changed: false });
  });

  it('moves the epoch alone, and starts and acknowledges revocations alone', () => {
    const behind = memberOf({ memberEpoch: 2, previousMemberEpoch: 1 });
    expect(memberAloneStep(view(behind), input(behind), 2_000, topics)?.member).toMatchObject({ memberEpoch: 3, previousMemberEpoch: 2 });
    const shrinking = memberOf({ memberEpoch: 2 });
    const started = memberAloneStep(view(shrinking, tps('t', [0])), input(shrinking), 2_000, topics)!;
    expect(started).toMatchObject({ changed: true, member: { assigned: tps('t', [0]), revoking: tps('t', [1]), memberEpoch: 2 } });
    const acked = memberAloneStep(view(started.member, tps('t', [0])), input(started.member, { ownedPartitions: tps('t', [0]) }), 3_000, topics)!;
    expect(acked.member).toMatchObject({ assigned: tps('t', [0]), revoking: [], memberEpoch: 3 });
  });

  it('leaves to the group step a grant, a changed subscription or topic, a stale epoch, a due assignment, a classic group', () => {
    const m = memberOf();
    expect(memberAloneStep(view(m, tps('t', [0, 1, 2])), input(m), 2_000, topics)).toBeUndefined();
    expect(memberAloneStep(view(m), input(m, { subscribedTopics: ['t', 'u'] }), 2_000, topics)).toBeUndefined();
    expect(memberAloneStep(view(m), input(m), 2_000, new Map([['t', { topicId: 'id', partitions: 5 }]]))).toBeUndefined();
    expect(memberAloneStep(view(m), input(m, { memberEpoch: 2 }), 2_000, topics)).toBeUndefined();
    expect(memberAloneStep({ ...view(m), target: undefined }, input(m), 2_000, topics)).toBeUndefined();
    expect(memberAloneStep(view(m, tps('t', [0, 1]), metaOf({ groupEpoch: 4 })), input(m), 2_000, topics)).toBeUndefined();
    expect(memberAloneStep(view(m, tps('t', [0, 1]), metaOf({ classic: { protocolType: 'consumer' } })), input(m), 2_000, topics)).toBeUndefined();
    expect(memberAloneStep(view(m), input(m), 1_000 + SESSION_MS, topics)).toBeUndefined();
  });
});
