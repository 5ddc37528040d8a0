/** ConsumerGroupHeartbeat (KIP-848) over raw frames: members join, split, reconcile, leave; Kafka's error answers. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, decodeResponse, encodeRequest, type ConsumerGroupHeartbeatRequest, type ConsumerGroupHeartbeatResponse, type WireInput } from '../../lib/wire/index.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { WireClient } from '../support/wire-client.js';

let t: TestGateway;
let c: WireClient;
let correlationId = 0;

beforeAll(async () => {
  t = await createTestGateway();
  c = await WireClient.open(t.gateway.host, t.gateway.port);
  await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'hb-t', numPartitions: 4 }, { topic: 'hbre-a', numPartitions: 1 }, { topic: 'hbre-b', numPartitions: 2 }, { topic: 'other', numPartitions: 1 }] });
});
afterAll(async () => {
  c.end();
  await t.close();
});

async function send<K extends (typeof API_KEYS)[keyof typeof API_KEYS]>(apiKey: K, version: number, body: object): Promise<unknown> {
  const id = ++correlationId;
  c.send(encodeRequest(apiKey, version, { correlationId: id, clientId: 'hb-test' }, body as never));
  const payload = (await c.waitFor(id))[id - 1]!;
  return decodeResponse(apiKey, version, payload).body;
}

type Heartbeat = Partial<WireInput<ConsumerGroupHeartbeatRequest>>;
const heartbeat = (body: Heartbeat, version = 1) => send(API_KEYS.ConsumerGroupHeartbeat, version, body) as Promise<ConsumerGroupHeartbeatResponse>;
const join = (groupId: string, memberId: string, extra: Heartbeat = {}, version = 1) =>
  heartbeat({ groupId, memberId, memberEpoch: 0, rebalanceTimeoutMs: 30_000, subscribedTopicNames: ['hb-t'], topicPartitions: [], ...extra }, version);

/** The topics' ids as Metadata gives them. */
async function topicIds(...names: string[]): Promise<Map<string, string>> {
  const body = (await send(API_KEYS.Metadata, 12, { topics: names.map((name) => ({ name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' })), allowAutoTopicCreation: false })) as {
    topics: { name: string; topicId: string }[];
  };
  return new Map(body.topics.map((tp) => [tp.name, tp.topicId]));
}

const partitionsOf = (r: ConsumerGroupHeartbeatResponse, topicId: string) => r.assignment?.topicPartitions.find((tp) => tp.topicId === topicId)?.partitions ?? [];
const owned = (topicId: string, partitions: number[]) => [{ topicId, partitions }];

describe('ConsumerGroupHeartbeat', () => {
  it('two members split a topic, the first gives up what moves before the second gets it, and the survivor of a leave gets all', async () => {
    const id = (await topicIds('hb-t')).get('hb-t')!;
    const a = randomUUID();
    const b = randomUUID();
    const a1 = await join('hb-g', a);
    expect(a1).toMatchObject({ errorCode: 0, memberId: a, heartbeatIntervalMs: 5_000 });
    expect(a1.memberEpoch).toBeGreaterThan(0);
    expect(a1.assignment!.topicPartitions).toEqual([{ topicId: id, partitions: [0, 1, 2, 3] }]);
    const a2 = await heartbeat({ groupId: 'hb-g', memberId: a, memberEpoch: a1.memberEpoch, topicPartitions: owned(id, [0, 1, 2, 3]) });
    expect(a2.errorCode).toBe(0);

    const b1 = await join('hb-g', b);
    expect(b1.errorCode).toBe(0);
    expect(partitionsOf(b1, id)).toEqual([]); // a still holds them all
    const a3 = await heartbeat({ groupId: 'hb-g', memberId: a, memberEpoch: a2.memberEpoch, topicPartitions: owned(id, [0, 1, 2, 3]) });
    const kept = partitionsOf(a3, id);
    expect(kept).toHaveLength(2);
    const b2 = await heartbeat({ groupId: 'hb-g', memberId: b, memberEpoch: b1.memberEpoch, topicPartitions: [] });
    expect(partitionsOf(b2, id)).toEqual([]); // not yet released by a
    const a4 = await heartbeat({ groupId: 'hb-g', memberId: a, memberEpoch: a3.memberEpoch, topicPartitions: owned(id, kept) });
    expect(partitionsOf(a4, id)).toEqual(kept);
    const b3 = await heartbeat({ groupId: 'hb-g', memberId: b, memberEpoch: b2.memberEpoch, topicPartitions: [] });
    const given = partitionsOf(b3, id);
    expect([...kept, ...given].sort()).toEqual([0, 1, 2, 3]);

    const left = await heartbeat({ groupId: 'hb-g', memberId: a, memberEpoch: -1 });
    expect(left).toMatchObject({ errorCode: 0, memberId: a, memberEpoch: -1, assignment: null });
    const b4 = await heartbeat({ groupId: 'hb-g', memberId: b, memberEpoch: b3.memberEpoch, topicPartitions: owned(id, given) });
    expect(b4.errorCode).toBe(0);
    expect(partitionsOf(b4, id)).toEqual([0, 1, 2, 3]);
    expect(b4.memberEpoch).toBeGreaterThan(b3.memberEpoch);

    const [group] = (await t.native.kafkaless.admin().describeGroups(['hb-g'])).groups;
    expect(group!.members).toHaveLength(1);
    expect(group!.members[0]).toMatchObject({ memberId: b, clientId: 'hb-test', clientHost: '/127.0.0.1', assignment: [{ topic: 'hb-t', partitions: [0, 1, 2, 3] }] });
  });

  it('lets a static member leave with epoch -2 and come back under a new member id to the same partitions', async () => {
    const id = (await topicIds('hb-t')).get('hb-t')!;
    const first = randomUUID();
    const joined = await join('hb-static', first, { instanceId: 'worker-1' });
    expect(joined.assignment!.topicPartitions).toEqual([{ topicId: id, partitions: [0, 1, 2, 3] }]);
    const left = await heartbeat({ groupId: 'hb-static', memberId: first, memberEpoch: -2, instanceId: 'worker-1' });
    expect(left).toMatchObject({ errorCode: 0, memberId: first, memberEpoch: -2, assignment: null });
    const second = randomUUID();
    const back = await join('hb-static', second, { instanceId: 'worker-1' });
    expect(back).toMatchObject({ errorCode: 0, memberId: second });
    expect(back.assignment!.topicPartitions).toEqual([{ topicId: id, partitions: [0, 1, 2, 3] }]);
    expect(back.memberEpoch).toBe(joined.memberEpoch); // no rebalance
    expect((await heartbeat({ groupId: 'hb-static', memberId: first, memberEpoch: joined.memberEpoch })).errorCode).toBe(25); // the old incarnation is gone
  });

  it('gives the member id at version 0, where the consumer joins without one', async () => {
    const r = await join('hb-v0', '', {}, 0);
    expect(r.errorCode).toBe(0);
    expect(r.memberId).toMatch(/^[0-9a-f-]{36}$/);
    const again = await heartbeat({ groupId: 'hb-v0', memberId: r.memberId!, memberEpoch: r.memberEpoch, topicPartitions: null }, 0);
    expect(again).toMatchObject({ errorCode: 0, memberId: r.memberId, memberEpoch: r.memberEpoch });
  });

  it('subscribes by regex (version 1), matched against whole topic names', async () => {
    const ids = await topicIds('hbre-a', 'hbre-b');
    const r = await join('hb-re', randomUUID(), { subscribedTopicNames: null, subscribedTopicRegex: 'hbre-.*' });
    expect(r.errorCode).toBe(0);
    expect([...r.assignment!.topicPartitions].sort((x, y) => x.partitions.length - y.partitions.length)).toEqual([
      { topicId: ids.get('hbre-a'), partitions: [0] },
      { topicId: ids.get('hbre-b'), partitions: [0, 1] },
    ]);
  });

  it('answers Kafka\'s errors and changes nothing for a refused request', async () => {
    const code = async (r: Promise<ConsumerGroupHeartbeatResponse>) => {
      const body = await r;
      expect(body.errorMessage).toBeTruthy();
      expect(body.assignment).toBeNull();
      return body.errorCode;
    };
    const INVALID_REQUEST = 42;
    expect(await code(join('hb-bad', ''))).toBe(INVALID_REQUEST); // v1: the consumer makes its member id
    expect(await code(join('hb-bad', randomUUID(), { rebalanceTimeoutMs: -1 }))).toBe(INVALID_REQUEST);
    expect(await code(join('hb-bad', randomUUID(), { topicPartitions: null }))).toBe(INVALID_REQUEST);
    expect(await code(join('hb-bad', randomUUID(), { topicPartitions: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [0] }] }))).toBe(INVALID_REQUEST);
    expect(await code(join('hb-bad', randomUUID(), { subscribedTopicNames: [] }))).toBe(INVALID_REQUEST);
    expect(await code(join('hb-bad', randomUUID(), { instanceId: '' }))).toBe(INVALID_REQUEST);
    expect(await code(join('hb-bad', randomUUID(), { subscribedTopicNames: null, subscribedTopicRegex: '(' }))).toBe(INVALID_REQUEST);
    expect(await code(join('hb-bad', randomUUID(), { serverAssignor: 'uniform' }))).toBe(112); // UNSUPPORTED_ASSIGNOR
    expect(await code(heartbeat({ groupId: 'hb-bad', memberId: randomUUID(), memberEpoch: 3 }))).toBe(69); // GROUP_ID_NOT_FOUND
    expect(await t.native.kafkaless.admin().describeGroups(['hb-bad']).catch((e: { code: string }) => e.code)).toBe('GroupIdNotFound');

    const m = randomUUID();
    const joined = await join('hb-err', m, { serverAssignor: 'range' });
    expect(joined.errorCode).toBe(0);
    expect(await code(heartbeat({ groupId: 'hb-err', memberId: randomUUID(), memberEpoch: joined.memberEpoch }))).toBe(25); // UNKNOWN_MEMBER_ID
    expect(await code(heartbeat({ groupId: 'hb-err', memberId: m, memberEpoch: joined.memberEpoch + 5 }))).toBe(110); // FENCED_MEMBER_EPOCH
    const [group] = (await t.native.kafkaless.admin().describeGroups(['hb-err'])).groups;
    expect(group).toMatchObject({ protocol: 'range', members: [{ memberId: m, memberEpoch: joined.memberEpoch }] });
  });
});
