/**
 * The group admin APIs through the gateway: kafkajs 2.2.4's listGroups,
 * describeGroups and deleteGroups over groups the native client made, and
 * raw frames for ListGroups' filters, ConsumerGroupDescribe and OffsetDelete.
 */
import { randomUUID } from 'node:crypto';
import { AssignerProtocol, Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { committedOffsetsOf } from '../../lib/client/admin-groups.js';
import type { GroupConsumer } from '../../lib/client/consumer/group-consumer.js';
import { API_KEYS, decodeResponse, encodeRequest } from '../../lib/wire/index.js';
import type { ConsumerGroupDescribeResponse, ConsumerGroupHeartbeatResponse, DescribeGroupsResponse, ListGroupsResponse, OffsetDeleteResponse } from '../../lib/wire/index.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { WireClient } from '../support/wire-client.js';

let t: TestGateway;
let admin: Admin;
let c: WireClient;
let correlationId = 0;
const consumers: GroupConsumer[] = [];

beforeAll(async () => {
  t = await createTestGateway();
  const kafka = new Kafka({ clientId: 'group-admin-test', brokers: [t.broker], logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 50 } });
  admin = kafka.admin();
  await admin.connect();
  c = await WireClient.open(t.gateway.host, t.gateway.port);
  await native().createTopics({ topics: [{ topic: 'ga-t', numPartitions: 3 }, { topic: 'ga-u', numPartitions: 2 }] });
  const producer = t.native.kafkaless.producer();
  await producer.send({ topic: 'ga-t', messages: [0, 1, 2].map((partition) => ({ value: `v${partition}`, partition })) });
  await producer.disconnect();
});
afterAll(async () => {
  for (const consumer of consumers) await consumer.disconnect();
  c.end();
  await admin.disconnect();
  await t.close();
});

const native = () => t.native.kafkaless.admin();

async function send<T>(apiKey: (typeof API_KEYS)[keyof typeof API_KEYS], version: number, body: object): Promise<T> {
  const id = ++correlationId;
  c.send(encodeRequest(apiKey as never, version, { correlationId: id, clientId: 'ga-test' }, body as never));
  const payload = (await c.waitFor(id))[id - 1]!;
  return decodeResponse(apiKey as never, version, payload).body as T;
}

/** A native group consumer that joined `groupId` and committed what it read of ga-t. */
async function nativeMember(groupId: string): Promise<GroupConsumer> {
  const consumer = t.native.kafkaless.consumer({ 'group.id': groupId, 'enable.auto.commit': false, 'auto.offset.reset': 'earliest', clientId: 'native-app' });
  consumers.push(consumer);
  consumer.subscribe({ topic: 'ga-t' });
  let read = 0;
  while (read < 3) read += (await consumer.poll({ timeoutMs: 50 })).length;
  await consumer.commitSync();
  return consumer;
}

async function stop(consumer: GroupConsumer): Promise<void> {
  consumers.splice(consumers.indexOf(consumer), 1);
  await consumer.disconnect();
}

const join = (groupId: string, memberId: string, topics: string[]) =>
  send<ConsumerGroupHeartbeatResponse>(API_KEYS.ConsumerGroupHeartbeat, 1, { groupId, memberId, memberEpoch: 0, rebalanceTimeoutMs: 30_000, subscribedTopicNames: topics, topicPartitions: [] });

describe('kafkajs admin over groups', () => {
  it('lists, describes (member assignments decode) and deletes a group a native consumer made', async () => {
    const member = await nativeMember('ga-native');
    expect((await admin.listGroups()).groups).toContainEqual({ groupId: 'ga-native', protocolType: 'consumer' });

    const { groups } = await admin.describeGroups(['ga-native', 'ga-missing']);
    expect(groups[0]).toMatchObject({ groupId: 'ga-native', errorCode: 0, state: 'Stable', protocolType: 'consumer', protocol: 'cooperative-sticky' });
    const [m] = groups[0]!.members;
    expect(m).toMatchObject({ clientId: 'native-app' });
    expect(AssignerProtocol.MemberAssignment.decode(m!.memberAssignment)).toEqual({ version: 0, assignment: { 'ga-t': [0, 1, 2] }, userData: Buffer.alloc(0) });
    expect(AssignerProtocol.MemberMetadata.decode(m!.memberMetadata)).toEqual({ version: 0, topics: ['ga-t'], userData: Buffer.alloc(0) });
    expect(groups[1]).toMatchObject({ groupId: 'ga-missing', errorCode: 0, state: 'Dead', members: [] });

    const refused = await admin.deleteGroups(['ga-native', 'ga-missing']).catch((e: { groups?: { groupId: string; errorCode: number }[] }) => e.groups);
    expect(refused).toEqual(expect.arrayContaining([expect.objectContaining({ groupId: 'ga-native', errorCode: 68 }), expect.objectContaining({ groupId: 'ga-missing', errorCode: 69 })]));
    expect(committedOffsetsOf(await native().fetchOffsets({ groupId: 'ga-native' }))).toHaveLength(3); // a refused delete changes nothing

    await stop(member);
    expect(await admin.deleteGroups(['ga-native'])).toEqual([expect.objectContaining({ groupId: 'ga-native', errorCode: 0 })]);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain('ga-native');
    expect((await admin.describeGroups(['ga-native'])).groups[0]).toMatchObject({ state: 'Dead' });
  });
});

describe('ListGroups', () => {
  it('filters by Kafka state name (v4, any case) and group type (v5); v0 gives id and protocol type', async () => {
    await join('ga-stable', randomUUID(), ['ga-u']);
    await native().setOffsets({ groupId: 'ga-empty', topic: 'ga-u', partitions: [{ partition: 0, offset: 0 }] });
    const ids = (r: ListGroupsResponse) => r.groups.map((g) => g.groupId).filter((id) => id === 'ga-stable' || id === 'ga-empty').sort();

    const all = await send<ListGroupsResponse>(API_KEYS.ListGroups, 5, { statesFilter: [], typesFilter: [] });
    expect(all.errorCode).toBe(0);
    expect(all.groups.filter((g) => g.groupId.startsWith('ga-') && g.groupId !== 'ga-native').sort((a, b) => (a.groupId < b.groupId ? -1 : 1))).toEqual([
      { groupId: 'ga-empty', protocolType: 'consumer', groupState: 'Empty', groupType: 'consumer' },
      { groupId: 'ga-stable', protocolType: 'consumer', groupState: 'Stable', groupType: 'consumer' },
    ]);
    expect(ids(await send(API_KEYS.ListGroups, 4, { statesFilter: ['stable'] }))).toEqual(['ga-stable']);
    expect(ids(await send(API_KEYS.ListGroups, 4, { statesFilter: ['Empty', 'Stable'] }))).toEqual(['ga-empty', 'ga-stable']);
    expect(ids(await send(API_KEYS.ListGroups, 4, { statesFilter: ['NoSuchState'] }))).toEqual([]);
    expect(ids(await send(API_KEYS.ListGroups, 5, { statesFilter: [], typesFilter: ['Consumer'] }))).toEqual(['ga-empty', 'ga-stable']);
    expect(ids(await send(API_KEYS.ListGroups, 5, { statesFilter: [], typesFilter: ['classic'] }))).toEqual([]);
    const v0 = await send<ListGroupsResponse>(API_KEYS.ListGroups, 0, {});
    expect(v0.groups.find((g) => g.groupId === 'ga-stable')).toEqual({ groupId: 'ga-stable', protocolType: 'consumer', groupState: '', groupType: '' });
  });
});

describe('DescribeGroups', () => {
  it('answers a KIP-848 group at v5 with its assignor and members; a missing or empty group id is Dead without error', async () => {
    const a = randomUUID();
    await join('ga-dg5', a, ['ga-u']);
    const r = await send<DescribeGroupsResponse>(API_KEYS.DescribeGroups, 5, { groups: ['ga-dg5', 'ga-none', ''], includeAuthorizedOperations: true });
    expect(r.groups[0]).toMatchObject({ errorCode: 0, groupId: 'ga-dg5', groupState: 'Stable', protocolType: 'consumer', protocolData: 'cooperative-sticky' });
    expect(r.groups[0]!.members.map((m) => [m.memberId, m.groupInstanceId, m.clientId, m.clientHost])).toEqual([[a, null, 'ga-test', '/127.0.0.1']]);
    expect(AssignerProtocol.MemberAssignment.decode(r.groups[0]!.members[0]!.memberAssignment)).toEqual({ version: 0, assignment: { 'ga-u': [0, 1] }, userData: Buffer.alloc(0) });
    expect(r.groups.slice(1).map((g) => [g.groupId, g.errorCode, g.groupState, g.members.length])).toEqual([
      ['ga-none', 0, 'Dead', 0],
      ['', 0, 'Dead', 0],
    ]);
  });
});

describe('ConsumerGroupDescribe', () => {
  it('describes a KIP-848 group with assignments by topic id and name; an unknown group is GROUP_ID_NOT_FOUND', async () => {
    const a = randomUUID();
    const joined = await join('ga-cgd', a, ['ga-t', 'ga-u']);
    const meta = await send<{ topics: { name: string; topicId: string }[] }>(API_KEYS.Metadata, 12, { topics: [{ name: 'ga-t', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }, { name: 'ga-u', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }], allowAutoTopicCreation: false });
    const id = new Map(meta.topics.map((tp) => [tp.name, tp.topicId]));
    const r = await send<ConsumerGroupDescribeResponse>(API_KEYS.ConsumerGroupDescribe, 0, { groupIds: ['ga-cgd', 'ga-nope'], includeAuthorizedOperations: false });
    const all = [
      { topicId: id.get('ga-t'), topicName: 'ga-t', partitions: [0, 1, 2] },
      { topicId: id.get('ga-u'), topicName: 'ga-u', partitions: [0, 1] },
    ];
    expect(r.groups[0]).toMatchObject({
      errorCode: 0,
      groupId: 'ga-cgd',
      groupState: 'Stable',
      groupEpoch: joined.memberEpoch,
      assignorName: 'cooperative-sticky',
      members: [{ memberId: a, memberEpoch: joined.memberEpoch, clientId: 'ga-test', clientHost: '/127.0.0.1', subscribedTopicNames: ['ga-t', 'ga-u'], subscribedTopicRegex: null, instanceId: null, assignment: { topicPartitions: all }, targetAssignment: { topicPartitions: all } }],
    });
    expect(r.groups[1]).toMatchObject({ groupId: 'ga-nope', errorCode: 69, members: [] });
  });
});

describe('OffsetDelete', () => {
  const deleteOffsets = (groupId: string, topics: { name: string; partitions: number[] }[]) =>
    send<OffsetDeleteResponse>(API_KEYS.OffsetDelete, 0, { groupId, topics: topics.map((tp) => ({ name: tp.name, partitions: tp.partitions.map((partitionIndex) => ({ partitionIndex })) })) });
  const partitionErrors = (r: OffsetDeleteResponse) => r.topics.flatMap((tp) => tp.partitions.map((p) => `${tp.name}:${p.partitionIndex}=${p.errorCode}`));

  it('deletes committed offsets; per partition, subscribed topics and unknown partitions are refused and the rest deleted', async () => {
    await native().setOffsets({ groupId: 'ga-od', topic: 'ga-t', partitions: [0, 1, 2].map((partition) => ({ partition, offset: 1 })) });
    await native().setOffsets({ groupId: 'ga-od', topic: 'ga-u', partitions: [0, 1].map((partition) => ({ partition, offset: 1 })) });
    const r = await deleteOffsets('ga-od', [{ name: 'ga-t', partitions: [0, 7] }, { name: 'ga-missing', partitions: [0] }, { name: 'ga-u', partitions: [1] }]);
    expect(r.errorCode).toBe(0);
    expect(partitionErrors(r)).toEqual(['ga-t:0=0', 'ga-t:7=3', 'ga-missing:0=3', 'ga-u:1=0']);
    const left = () => native().fetchOffsets({ groupId: 'ga-od' }).then((o) => committedOffsetsOf(o).map((x) => `${x.topic}:${x.partition}`));
    expect(await left()).toEqual(['ga-t:1', 'ga-t:2', 'ga-u:0']);

    const member = randomUUID();
    await join('ga-od', member, ['ga-u']);
    const subscribed = await deleteOffsets('ga-od', [{ name: 'ga-u', partitions: [0] }, { name: 'ga-t', partitions: [1] }]);
    expect(partitionErrors(subscribed)).toEqual(['ga-u:0=86', 'ga-t:1=0']); // GROUP_SUBSCRIBED_TO_TOPIC
    expect(await left()).toEqual(['ga-t:2', 'ga-u:0']);
  });

  it('answers GROUP_ID_NOT_FOUND for a group that does not exist', async () => {
    const r = await deleteOffsets('ga-no-group', [{ name: 'ga-t', partitions: [0] }]);
    expect(r).toMatchObject({ errorCode: 69, topics: [] });
  });
});
