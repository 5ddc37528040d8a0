/**
 * The classic group protocol over raw frames, through two gateways over one
 * set of tables: the error answers (MEMBER_ID_REQUIRED, unknown member,
 * illegal generation, inconsistent protocol, rebalance in progress) and one
 * generation completed by members that joined through different gateways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrokerContext } from '../../lib/broker/context.js';
import { BrokerFunctions } from '../../lib/broker/functions.js';
import { startGateway, type KafkaGateway } from '../../lib/gateway/index.js';
import { API_KEYS, decodeResponse, encodeRequest, type ApiKey, type RequestBodies, type ResponseBodies, type WireInput } from '../../lib/wire/index.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { WireClient } from '../support/wire-client.js';

let t: TestGateway;
let second: KafkaGateway;
let functions: BrokerFunctions;
let correlation = 1;

const ERR = { NONE: 0, ILLEGAL_GENERATION: 22, INCONSISTENT_GROUP_PROTOCOL: 23, UNKNOWN_MEMBER_ID: 25, REBALANCE_IN_PROGRESS: 27, MEMBER_ID_REQUIRED: 79 } as const;

beforeAll(async () => {
  t = await createTestGateway();
  const n = t.native;
  functions = new BrokerFunctions(createBrokerContext({ dynamodb: n.clients.dynamodb, s3: n.clients.s3, tables: n.tables, bucket: n.bucket }));
  second = await startGateway({ functions });
  await n.kafkaless.admin().createTopics({ topics: [{ topic: 'cg', numPartitions: 2 }] });
});
afterAll(async () => {
  await second.close();
  await t.close();
});

/** One request on its own connection (a join or sync may wait), to gateway A or B; the decoded response body. */
async function ask<K extends ApiKey>(via: 'A' | 'B', apiKey: K, version: number, body: WireInput<RequestBodies[K]>): Promise<ResponseBodies[K]> {
  const g = via === 'A' ? t.gateway : second;
  const c = await WireClient.open(g.host, g.port);
  c.send(encodeRequest(apiKey, version, { correlationId: correlation++, clientId: 'raw' }, body));
  const [payload] = await c.waitFor(1);
  c.end();
  return decodeResponse(apiKey, version, payload!).body;
}

const protocols = (names: string[]) => names.map((name) => ({ name, metadata: Buffer.from(`meta-${name}`) }));

function join(via: 'A' | 'B', groupId: string, memberId: string, options: { protocolType?: string; names?: string[]; version?: number; instanceId?: string; sessionTimeoutMs?: number } = {}) {
  return ask(via, API_KEYS.JoinGroup, options.version ?? 5, {
    groupId,
    sessionTimeoutMs: options.sessionTimeoutMs ?? 6000,
    rebalanceTimeoutMs: 3000,
    memberId,
    groupInstanceId: options.instanceId ?? null,
    protocolType: options.protocolType ?? 'consumer',
    protocols: protocols(options.names ?? ['range']),
  });
}

async function memberId(via: 'A' | 'B', groupId: string): Promise<string> {
  const answer = await join(via, groupId, '');
  expect(answer.errorCode).toBe(ERR.MEMBER_ID_REQUIRED);
  expect(answer.memberId).toMatch(/^raw-/);
  return answer.memberId;
}

const heartbeat = (via: 'A' | 'B', groupId: string, id: string, generationId: number) =>
  ask(via, API_KEYS.Heartbeat, 3, { groupId, generationId, memberId: id, groupInstanceId: null });

const sync = (via: 'A' | 'B', groupId: string, id: string, generationId: number, assignments: { memberId: string; assignment: Buffer }[] = []) =>
  ask(via, API_KEYS.SyncGroup, 5, { groupId, generationId, memberId: id, groupInstanceId: null, protocolType: 'consumer', protocolName: 'range', assignments });

const commit = (groupId: string, id: string, generationId: number, offset: number) =>
  ask('A', API_KEYS.OffsetCommit, 8, {
    groupId,
    generationIdOrMemberEpoch: generationId,
    memberId: id,
    groupInstanceId: null,
    topics: [{ name: 'cg', partitions: [{ partitionIndex: 0, committedOffset: BigInt(offset), committedLeaderEpoch: -1, committedMetadata: 'm' }] }],
  });

describe('the classic group protocol over raw frames', () => {
  it('two members joining through two gateways complete one generation; errors are answered as Kafka does', async () => {
    const g = 'raw-g';
    const [a, b] = await Promise.all([memberId('A', g), memberId('B', g)]);
    const [ja, jb] = await Promise.all([join('A', g, a), join('B', g, b)]);
    expect(ja.errorCode).toBe(ERR.NONE);
    expect(jb.errorCode).toBe(ERR.NONE);
    expect(ja.generationId).toBe(jb.generationId);
    expect(ja.leader).toBe(jb.leader);
    expect(ja.protocolName).toBe('range');
    const [leader, follower, leaderVia, followerVia] = ja.leader === a ? [a, b, 'A', 'B'] as const : [b, a, 'B', 'A'] as const;
    const leaderJoin = leader === a ? ja : jb;
    expect(leaderJoin.members.map((m) => m.memberId).sort()).toEqual([a, b].sort());
    expect(leaderJoin.members.map((m) => m.metadata.toString())).toEqual(['meta-range', 'meta-range']);
    expect((leader === a ? jb : ja).members).toEqual([]);
    const generation = ja.generationId;

    // A commit between join and sync: the generation's assignments are not out yet.
    expect((await commit(g, leader, generation, 1)).topics[0]!.partitions[0]!.errorCode).toBe(ERR.REBALANCE_IN_PROGRESS);

    const followerSync = sync(followerVia, g, follower, generation);
    await new Promise((r) => setTimeout(r, 300));
    const leaderSync = await sync(leaderVia, g, leader, generation, [
      { memberId: leader, assignment: Buffer.from('for-leader') },
      { memberId: follower, assignment: Buffer.from('for-follower') },
    ]);
    expect(leaderSync).toMatchObject({ errorCode: ERR.NONE, protocolType: 'consumer', protocolName: 'range' });
    expect(leaderSync.assignment.toString()).toBe('for-leader');
    expect((await followerSync).assignment.toString()).toBe('for-follower');

    expect((await heartbeat('A', g, a, generation)).errorCode).toBe(ERR.NONE);
    expect((await heartbeat('B', g, b, generation)).errorCode).toBe(ERR.NONE);
    expect((await heartbeat('A', g, a, generation + 1)).errorCode).toBe(ERR.ILLEGAL_GENERATION);
    expect((await heartbeat('B', g, 'nobody', generation)).errorCode).toBe(ERR.UNKNOWN_MEMBER_ID);
    expect((await sync('A', g, 'nobody', generation)).errorCode).toBe(ERR.UNKNOWN_MEMBER_ID);

    expect((await commit(g, a, generation, 5)).topics[0]!.partitions[0]!.errorCode).toBe(ERR.NONE);
    expect((await commit(g, a, generation - 1, 6)).topics[0]!.partitions[0]!.errorCode).toBe(ERR.ILLEGAL_GENERATION);
    expect((await commit(g, 'nobody', generation, 6)).topics[0]!.partitions[0]!.errorCode).toBe(ERR.UNKNOWN_MEMBER_ID);
    expect((await commit(g, '', -1, 6)).topics[0]!.partitions[0]!.errorCode).toBe(ERR.UNKNOWN_MEMBER_ID);

    const fetched = await ask('B', API_KEYS.OffsetFetch, 8, {
      groups: [
        { groupId: g, topics: [{ name: 'cg', partitionIndexes: [0, 1] }] },
        { groupId: 'no-such-group', topics: [{ name: 'cg', partitionIndexes: [0] }] },
      ],
      requireStable: false,
    });
    expect(fetched.groups.map((x) => [x.groupId, x.errorCode, x.topics[0]!.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.metadata])])).toEqual([
      [g, 0, [[0, 5n, 'm'], [1, -1n, '']]],
      ['no-such-group', 0, [[0, -1n, '']]],
    ]);

    expect((await join('A', g, '', { protocolType: 'connect', version: 3 })).errorCode).toBe(ERR.INCONSISTENT_GROUP_PROTOCOL);
    expect((await join('A', g, '', { names: ['roundrobin'], version: 3 })).errorCode).toBe(ERR.INCONSISTENT_GROUP_PROTOCOL);

    const left = await ask('B', API_KEYS.LeaveGroup, 3, { groupId: g, members: [{ memberId: b, groupInstanceId: null }, { memberId: 'nobody', groupInstanceId: null }] });
    expect(left.members.map((m) => [m.memberId, m.errorCode])).toEqual([[b, ERR.NONE], ['nobody', ERR.UNKNOWN_MEMBER_ID]]);
    expect((await heartbeat('A', g, a, generation)).errorCode).toBe(ERR.REBALANCE_IN_PROGRESS);
    // Kafka lets a member commit with its generation while the others rejoin.
    expect((await commit(g, a, generation, 7)).topics[0]!.partitions[0]!.errorCode).toBe(ERR.NONE);
    const rejoined = await join('B', g, a);
    expect(rejoined).toMatchObject({ errorCode: ERR.NONE, generationId: generation + 1, leader: a });
    expect(rejoined.members.map((m) => m.memberId)).toEqual([a]);

    const described = (await t.native.kafkaless.admin().describeGroups([g])).groups[0]!;
    expect(described).toMatchObject({ type: 'classic', protocolType: 'consumer', protocol: 'range', state: 'CompletingRebalance', groupEpoch: generation + 1 });
    expect(described.members.map((m) => m.memberId)).toEqual([a]);
  });

  it('a JoinGroup into a consumer-protocol group with members is INCONSISTENT_GROUP_PROTOCOL; a heartbeat into a classic one is GROUP_ID_NOT_FOUND', async () => {
    const joined = await functions.invoke('group', { action: 'heartbeat', groupId: 'kip848-g', memberId: '', memberEpoch: 0, subscribedTopics: ['cg'] });
    expect(joined.ok).toBe(true);
    expect((await join('A', 'kip848-g', '', { version: 3 })).errorCode).toBe(ERR.INCONSISTENT_GROUP_PROTOCOL);

    const id = await memberId('A', 'classic-only');
    expect((await join('A', 'classic-only', id)).errorCode).toBe(ERR.NONE);
    const refused = await functions.invoke('group', { action: 'heartbeat', groupId: 'classic-only', memberId: '', memberEpoch: 0, subscribedTopics: ['cg'] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'GroupIdNotFound' } });
  });

  it('a JoinGroup before v4 joins without MEMBER_ID_REQUIRED, and a member that stops heartbeating is removed by the next rebalance', async () => {
    const g = 'v3-g';
    const first = await join('A', g, '', { version: 3 });
    expect(first.errorCode).toBe(ERR.NONE);
    expect(first.leader).toBe(first.memberId);
    // A second member joins; the first never rejoins: the join phase ends at its rebalance timeout (3 s) without it.
    const second = await join('B', g, '', { version: 3 });
    expect(second).toMatchObject({ errorCode: ERR.NONE, generationId: first.generationId + 1, leader: second.memberId });
    expect(second.members.map((m) => m.memberId)).toEqual([second.memberId]);
    expect((await heartbeat('A', g, first.memberId, first.generationId)).errorCode).toBe(ERR.UNKNOWN_MEMBER_ID);
  });

  it('a static member that restarts takes its place and assignment back without a rebalance; its old id is fenced', async () => {
    const g = 'static-g';
    const dynamic = await memberId('A', g);
    // The dynamic member joins first (within the initial delay the static one joins too), so it leads.
    const dynamicJoin = join('A', g, dynamic);
    await new Promise((r) => setTimeout(r, 150));
    const js = await join('B', g, '', { instanceId: 'inst-1' });
    const jd = await dynamicJoin;
    expect(js.errorCode).toBe(ERR.NONE);
    expect(jd.generationId).toBe(js.generationId);
    expect(jd.leader).toBe(dynamic);
    const generation = jd.generationId;
    const [leader, other] = [dynamic, js.memberId];
    const followerSync = sync('B', g, other, generation);
    await sync('A', g, leader, generation, [
      { memberId: leader, assignment: Buffer.from('L') },
      { memberId: other, assignment: Buffer.from('O') },
    ]);
    await followerSync;
    const restarted = await join('A', g, '', { instanceId: 'inst-1' });
    expect(restarted).toMatchObject({ errorCode: ERR.NONE, generationId: generation, leader });
    expect(restarted.memberId).not.toBe(js.memberId);
    const again = await sync('A', g, restarted.memberId, generation);
    expect(again.assignment.toString()).toBe('O');
    expect((await ask('A', API_KEYS.Heartbeat, 3, { groupId: g, generationId: generation, memberId: js.memberId, groupInstanceId: 'inst-1' })).errorCode).toBe(82); // FENCED_INSTANCE_ID
    expect((await heartbeat('B', g, leader, generation)).errorCode).toBe(ERR.NONE);
    const left = await ask('B', API_KEYS.LeaveGroup, 4, { groupId: g, members: [{ memberId: '', groupInstanceId: 'inst-1' }] });
    expect(left.members.map((m) => [m.memberId, m.errorCode])).toEqual([[restarted.memberId, ERR.NONE]]);
  });

  it('an OffsetCommit to a consumer-protocol group carries the member epoch', async () => {
    const g = 'kip848-commit';
    const reply = await functions.invoke('group', { action: 'heartbeat', groupId: g, memberId: '', memberEpoch: 0, subscribedTopics: ['cg'] });
    const member = (reply as { ok: true; result: { memberId: string; memberEpoch: number; assignment: { partition: number }[] } }).result;
    expect(member.assignment.map((p) => p.partition)).toContain(0);
    expect((await commit(g, member.memberId, member.memberEpoch, 3)).topics[0]!.partitions[0]!.errorCode).toBe(ERR.NONE);
    expect((await commit(g, member.memberId, member.memberEpoch + 5, 4)).topics[0]!.partitions[0]!.errorCode).toBe(110); // FENCED_MEMBER_EPOCH
    const fetched = await ask('A', API_KEYS.OffsetFetch, 7, { groupId: g, topics: [{ name: 'cg', partitionIndexes: [0] }], requireStable: true });
    expect(fetched.topics[0]!.partitions[0]!.committedOffset).toBe(3n);
    const all = await ask('B', API_KEYS.OffsetFetch, 9, { groups: [{ groupId: g, memberId: member.memberId, memberEpoch: member.memberEpoch, topics: null }], requireStable: false });
    expect(all.groups[0]!.topics.map((x) => [x.name, x.partitions.map((p) => [p.partitionIndex, p.committedOffset])])).toEqual([['cg', [[0, 3n]]]]);
  });

  it('the maintenance sweep removes a classic member whose session ended, and the group is empty', async () => {
    const g = 'sweep-g';
    const joined = await join('A', g, '', { version: 3, sessionTimeoutMs: 500 });
    expect(joined.errorCode).toBe(ERR.NONE);
    expect((await sync('A', g, joined.memberId, joined.generationId, [{ memberId: joined.memberId, assignment: Buffer.from('a') }])).errorCode).toBe(ERR.NONE);
    await new Promise((r) => setTimeout(r, 700));
    const swept = await functions.invoke('maintenance', { action: 'run', steps: ['groups'] });
    expect(swept.ok).toBe(true);
    const described = (await t.native.kafkaless.admin().describeGroups([g])).groups[0]!;
    expect(described).toMatchObject({ state: 'Empty', members: [], groupEpoch: joined.generationId + 1 });
  });
});
