/**
 * The transaction APIs over raw frames: the error answers Kafka gives at
 * each version (INVALID_TXN_STATE, fencing), and a transaction begun
 * through one gateway and committed through another over the same tables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRecordBatch } from '../../lib/log/index.js';
import { API_KEYS, decodeResponse, encodeRequest, type ApiKey, type RequestBodies, type ResponseBodies, type WireInput } from '../../lib/wire/index.js';
import { createTestGateway, startSecondGateway, type TestGateway } from '../support/gateway.js';
import { kcatValues } from '../support/kcat.js';
import { WireClient } from '../support/wire-client.js';
import { committedOffsets, createGroup } from '../transactions/helpers.js';
import { call as callNative } from '../../lib/client/transport.js';
import type { HeartbeatReply } from '../../lib/protocol/group-replies.js';

let t: TestGateway;
let second: Awaited<ReturnType<typeof startSecondGateway>>;
let a: WireClient;
let b: WireClient;
let correlationId = 0;

const INVALID_TXN_STATE = 48;
const INVALID_PRODUCER_EPOCH = 47;
const INVALID_PRODUCER_ID_MAPPING = 49;
const PRODUCER_FENCED = 90;
const UNKNOWN_TOPIC_OR_PARTITION = 3;
const OPERATION_NOT_ATTEMPTED = 55;
const GROUP_ID_NOT_FOUND = 69;
const UNKNOWN_MEMBER_ID = 25;
const ILLEGAL_GENERATION = 22;

/** A consumer group member's heartbeat, natively (the gateway does not serve the group APIs). */
const call_ = (tg: TestGateway, request: object) => callNative<HeartbeatReply>(tg.native.kafkaless.transport, 'group', request);

beforeAll(async () => {
  t = await createTestGateway();
  second = await startSecondGateway(t);
  await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'w', numPartitions: 2 }] });
  a = await WireClient.open(t.gateway.host, t.gateway.port);
  b = await WireClient.open(second.gateway.host, second.gateway.port);
});
afterAll(async () => {
  a?.end();
  b?.end();
  await second?.gateway.close();
  await t.close();
});

/** One request on a connection, its decoded answer. */
async function call<K extends ApiKey>(c: WireClient, apiKey: K, version: number, body: WireInput<RequestBodies[K]>): Promise<ResponseBodies[K]> {
  const id = ++correlationId;
  const before = c.responses.length;
  c.send(encodeRequest(apiKey, version, { correlationId: id, clientId: 'wire-txn' }, body));
  const payloads = await c.waitFor(before + 1);
  return decodeResponse(apiKey, version, payloads[before]!).body as ResponseBodies[K];
}

interface Producer {
  readonly transactionalId: string;
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

async function init(c: WireClient, transactionalId: string, version = 4): Promise<Producer> {
  const r = await call(c, API_KEYS.InitProducerId, version, { transactionalId, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 });
  expect(r.errorCode).toBe(0);
  return { transactionalId, producerId: BigInt(r.producerId), producerEpoch: r.producerEpoch };
}

const endTxn = async (c: WireClient, p: Producer, committed: boolean, version = 3) => (await call(c, API_KEYS.EndTxn, version, { ...p, committed })).errorCode;

async function addPartitions(c: WireClient, p: Producer, topics: { name: string; partitions: number[] }[], version = 3) {
  const r = await call(c, API_KEYS.AddPartitionsToTxn, version, {
    transactions: [],
    v3AndBelowTransactionalId: p.transactionalId,
    v3AndBelowProducerId: p.producerId,
    v3AndBelowProducerEpoch: p.producerEpoch,
    v3AndBelowTopics: topics,
  });
  return r.resultsByTopicV3AndBelow.map((tr) => [tr.name, tr.resultsByPartition.map((x) => [x.partitionIndex, x.partitionErrorCode])]);
}

async function produce(c: WireClient, p: Producer, partition: number, baseSequence: number, values: string[], epoch = p.producerEpoch) {
  const records = await encodeRecordBatch(
    values.map((v) => ({ key: null, value: Buffer.from(v), headers: [], timestamp: Date.now() })),
    { producerId: Number(p.producerId), producerEpoch: epoch, baseSequence, isTransactional: true },
  );
  const r = await call(c, API_KEYS.Produce, 9, { transactionalId: p.transactionalId, acks: -1, timeoutMs: 1000, topicData: [{ name: 'w', partitionData: [{ index: partition, records }] }] });
  return r.responses[0]!.partitionResponses[0]!;
}

/** `partition:value` of every committed record of topic `w`, read through the second gateway with kcat, sorted. */
const readCommitted = () => kcatValues(second.broker, 'w', 'read_committed');

describe('transaction errors over raw frames', () => {
  it('Produce and EndTxn: INVALID_TXN_STATE without an open transaction; the same end again succeeds, the opposite end does not, and a late Produce does not open the next transaction', async () => {
    const p = await init(a, 'wire-end');
    expect(await produce(a, p, 0, 0, ['no-transaction'])).toMatchObject({ errorCode: INVALID_TXN_STATE, baseOffset: -1n });
    expect(await endTxn(a, p, true)).toBe(INVALID_TXN_STATE);
    expect(await endTxn(a, p, false)).toBe(INVALID_TXN_STATE);
    expect(await addPartitions(a, p, [{ name: 'w', partitions: [0] }])).toEqual([['w', [[0, 0]]]]);
    expect(await endTxn(a, p, true)).toBe(0);
    expect(await endTxn(a, p, true)).toBe(0);
    expect(await endTxn(a, p, false)).toBe(INVALID_TXN_STATE);
    expect(await produce(a, p, 0, 0, ['late-retry'])).toMatchObject({ errorCode: INVALID_TXN_STATE });
    expect(await endTxn(a, p, false)).toBe(INVALID_TXN_STATE);
    expect((await readCommitted()).filter((r) => r.includes('no-transaction') || r.includes('late-retry'))).toEqual([]);
    const never = { transactionalId: 'wire-never', producerId: p.producerId, producerEpoch: 0 };
    expect(await endTxn(a, never, true)).toBe(INVALID_PRODUCER_ID_MAPPING);
  });

  it('fences a zombie: INVALID_PRODUCER_EPOCH before v2 (v4 for InitProducerId), PRODUCER_FENCED after; its Produce INVALID_PRODUCER_EPOCH; nothing of it lands', async () => {
    const old = await init(a, 'wire-zombie');
    expect(await addPartitions(a, old, [{ name: 'w', partitions: [1] }])).toEqual([['w', [[1, 0]]]]);
    expect(await produce(a, old, 1, 0, ['zombie-staged'])).toMatchObject({ errorCode: 0, baseOffset: -1n });
    const current = await init(b, 'wire-zombie');
    expect(current.producerId).toBe(old.producerId);
    expect(current.producerEpoch).toBe(old.producerEpoch + 1);
    expect(await endTxn(a, old, true, 1)).toBe(INVALID_PRODUCER_EPOCH);
    expect(await endTxn(a, old, true, 2)).toBe(PRODUCER_FENCED);
    expect(await addPartitions(a, old, [{ name: 'w', partitions: [0] }], 1)).toEqual([['w', [[0, INVALID_PRODUCER_EPOCH]]]]);
    expect(await addPartitions(a, old, [{ name: 'w', partitions: [0] }], 3)).toEqual([['w', [[0, PRODUCER_FENCED]]]]);
    expect((await call(a, API_KEYS.AddOffsetsToTxn, 3, { ...old, groupId: 'g' })).errorCode).toBe(PRODUCER_FENCED);
    expect(await produce(a, old, 1, 1, ['zombie-late'])).toMatchObject({ errorCode: INVALID_PRODUCER_EPOCH, baseOffset: -1n });
    const resume = (version: number, p: Producer) => call(a, API_KEYS.InitProducerId, version, { transactionalId: p.transactionalId, transactionTimeoutMs: 60_000, producerId: p.producerId, producerEpoch: p.producerEpoch });
    expect((await resume(3, old)).errorCode).toBe(INVALID_PRODUCER_EPOCH);
    expect((await resume(4, old)).errorCode).toBe(PRODUCER_FENCED);
    const bumped = await resume(4, current);
    expect(bumped).toMatchObject({ errorCode: 0, producerEpoch: current.producerEpoch + 1 });
    expect(BigInt(bumped.producerId)).toBe(current.producerId);
    expect((await readCommitted()).filter((r) => r.includes('zombie'))).toEqual([]);
  });

  it('AddPartitionsToTxn with an unknown partition adds nothing: the others are OPERATION_NOT_ATTEMPTED, and no transaction is open', async () => {
    const p = await init(a, 'wire-add');
    expect(await addPartitions(a, p, [{ name: 'w', partitions: [0, 9] }, { name: 'missing', partitions: [0] }])).toEqual([
      ['w', [[0, OPERATION_NOT_ATTEMPTED], [9, UNKNOWN_TOPIC_OR_PARTITION]]],
      ['missing', [[0, UNKNOWN_TOPIC_OR_PARTITION]]],
    ]);
    expect(await endTxn(a, p, false)).toBe(INVALID_TXN_STATE);
  });

  it('TxnOffsetCommit: GROUP_ID_NOT_FOUND for every partition of a group that does not exist, UNKNOWN_TOPIC_OR_PARTITION for a partition that does not', async () => {
    const p = await init(a, 'wire-offsets');
    expect((await call(a, API_KEYS.AddOffsetsToTxn, 3, { ...p, groupId: 'wire-no-group' })).errorCode).toBe(0);
    const commit = (groupId: string, partitions: number[]) =>
      call(a, API_KEYS.TxnOffsetCommit, 3, {
        ...p,
        groupId,
        generationId: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [{ name: 'w', partitions: partitions.map((partitionIndex) => ({ partitionIndex, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null })) }],
      });
    const missing = await commit('wire-no-group', [0, 1]);
    expect(missing.topics[0]!.partitions.map((x) => [x.partitionIndex, x.errorCode])).toEqual([
      [0, GROUP_ID_NOT_FOUND],
      [1, GROUP_ID_NOT_FOUND],
    ]);
    await createGroup(t.native.kafkaless, 'wire-group', 'w', 2);
    const mixed = await commit('wire-group', [0, 7]);
    expect(mixed.topics[0]!.partitions.map((x) => [x.partitionIndex, x.errorCode])).toEqual([
      [0, 0],
      [7, UNKNOWN_TOPIC_OR_PARTITION],
    ]);
    expect(await endTxn(a, p, false)).toBe(0);
    expect((await committedOffsets(t.native.kafkaless, 'wire-group', 'w')).get(0)).toBe(0);
  });
});

describe('a transaction that outlives transaction.timeout.ms', () => {
  it('is aborted whole, and fences its producer as Kafka does until it initializes again (KIP-360 resume)', async () => {
    const init1 = await call(a, API_KEYS.InitProducerId, 4, { transactionalId: 'wire-timeout', transactionTimeoutMs: 1, producerId: -1n, producerEpoch: -1 });
    const p: Producer = { transactionalId: 'wire-timeout', producerId: BigInt(init1.producerId), producerEpoch: init1.producerEpoch };
    expect(await addPartitions(a, p, [{ name: 'w', partitions: [0] }])).toEqual([['w', [[0, 0]]]]);
    expect(await produce(a, p, 0, 0, ['timed-out-1'])).toMatchObject({ errorCode: 0 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await endTxn(a, p, true, 3)).toBe(PRODUCER_FENCED);
    expect(await endTxn(a, p, true, 1)).toBe(INVALID_PRODUCER_EPOCH);
    expect(await produce(a, p, 0, 1, ['timed-out-2'])).toMatchObject({ errorCode: INVALID_PRODUCER_EPOCH });
    expect(await addPartitions(a, p, [{ name: 'w', partitions: [1] }])).toEqual([['w', [[1, PRODUCER_FENCED]]]]);
    expect(await endTxn(a, p, false, 3)).toBe(PRODUCER_FENCED);
    const resumed = await call(b, API_KEYS.InitProducerId, 4, { transactionalId: 'wire-timeout', transactionTimeoutMs: 60_000, producerId: p.producerId, producerEpoch: p.producerEpoch });
    expect(resumed).toMatchObject({ errorCode: 0, producerEpoch: p.producerEpoch + 1 });
    const q: Producer = { ...p, producerEpoch: resumed.producerEpoch };
    expect(await addPartitions(b, q, [{ name: 'w', partitions: [1] }])).toEqual([['w', [[1, 0]]]]);
    expect(await produce(b, q, 1, 0, ['resumed'])).toMatchObject({ errorCode: 0 });
    expect(await endTxn(b, q, true)).toBe(0);
    expect((await readCommitted()).filter((r) => r.includes('timed-out') || r.includes('resumed'))).toEqual(['1:resumed']);
  });
});

describe('TxnOffsetCommit v3 with the consumer\'s member (KIP-447)', () => {
  it('stages the offsets of a member that owns them; an unknown member is UNKNOWN_MEMBER_ID, a wrong generation ILLEGAL_GENERATION', async () => {
    const joined = await call_(t, { action: 'heartbeat', groupId: 'wire-members', memberId: '', memberEpoch: 0, subscribedTopics: ['w'], sessionTimeoutMs: 45_000 });
    let member = joined;
    while (member.assignment.length < 2) {
      member = await call_(t, { action: 'heartbeat', groupId: 'wire-members', memberId: joined.memberId, memberEpoch: member.memberEpoch, subscribedTopics: ['w'], sessionTimeoutMs: 45_000, ownedPartitions: [...member.assignment] });
    }
    const p = await init(a, 'wire-member-offsets');
    expect((await call(a, API_KEYS.AddOffsetsToTxn, 3, { ...p, groupId: 'wire-members' })).errorCode).toBe(0);
    const commit = async (memberId: string, generationId: number) => {
      const r = await call(a, API_KEYS.TxnOffsetCommit, 3, {
        ...p,
        groupId: 'wire-members',
        generationId,
        memberId,
        groupInstanceId: null,
        topics: [{ name: 'w', partitions: [{ partitionIndex: 0, committedOffset: 3n, committedLeaderEpoch: -1, committedMetadata: 'm' }] }],
      });
      return r.topics[0]!.partitions[0]!.errorCode;
    };
    expect(await commit('not-a-member', member.memberEpoch)).toBe(UNKNOWN_MEMBER_ID);
    expect(await commit(member.memberId, member.memberEpoch + 5)).toBe(ILLEGAL_GENERATION);
    expect(await commit(member.memberId, member.memberEpoch)).toBe(0);
    expect(await endTxn(a, p, true)).toBe(0);
    expect((await committedOffsets(t.native.kafkaless, 'wire-members', 'w')).get(0)).toBe(3);
  });
});

describe('transaction administration over raw frames', () => {
  it('lists, describes and shows the producers of an open transaction (ListTransactions, DescribeTransactions, DescribeProducers)', async () => {
    const p = await init(a, 'wire-admin');
    expect(await addPartitions(a, p, [{ name: 'w', partitions: [1] }])).toEqual([['w', [[1, 0]]]]);
    expect(await produce(a, p, 1, 0, ['admin-1', 'admin-2'])).toMatchObject({ errorCode: 0 });

    const listed = await call(b, API_KEYS.ListTransactions, 1, { stateFilters: ['Ongoing', 'Bogus'], producerIdFilters: [p.producerId], durationFilter: -1n });
    expect(listed).toMatchObject({ errorCode: 0, unknownStateFilters: ['Bogus'] });
    expect(listed.transactionStates.map((x) => [x.transactionalId, BigInt(x.producerId), x.transactionState])).toEqual([['wire-admin', p.producerId, 'Ongoing']]);
    const longRunning = await call(b, API_KEYS.ListTransactions, 1, { stateFilters: [], producerIdFilters: [p.producerId], durationFilter: 3_600_000n });
    expect(longRunning.transactionStates).toEqual([]);

    const described = await call(b, API_KEYS.DescribeTransactions, 0, { transactionalIds: ['wire-admin', 'wire-unknown-id'] });
    expect(described.transactionStates.map((x) => [x.transactionalId, x.errorCode, x.transactionState, x.producerEpoch, x.topics])).toEqual([
      ['wire-admin', 0, 'Ongoing', p.producerEpoch, [{ topic: 'w', partitions: [1] }]],
      ['wire-unknown-id', 105, '', -1, []],
    ]);
    expect(Number(described.transactionStates[0]!.transactionStartTimeMs)).toBeGreaterThan(0);

    const producers = await call(b, API_KEYS.DescribeProducers, 0, { topics: [{ name: 'w', partitionIndexes: [1, 9] }] });
    const [one, nine] = producers.topics[0]!.partitions;
    expect(one!.errorCode).toBe(0);
    expect(one!.activeProducers.map((x) => [BigInt(x.producerId), x.producerEpoch, x.lastSequence, x.currentTxnStartOffset])).toContainEqual([p.producerId, p.producerEpoch, 1, -1n]);
    expect(nine).toMatchObject({ partitionIndex: 9, errorCode: UNKNOWN_TOPIC_OR_PARTITION, activeProducers: [] });

    expect(await endTxn(a, p, false)).toBe(0);
    const after = await call(b, API_KEYS.DescribeTransactions, 0, { transactionalIds: ['wire-admin'] });
    expect(after.transactionStates[0]).toMatchObject({ errorCode: 0, transactionState: 'CompleteAbort', topics: [] });
  });
});

describe('a transaction across gateway instances', () => {
  it('is begun through one gateway, continued and committed through another: its records appear once, at commit', async () => {
    const p = await init(a, 'wire-two-gateways');
    expect(await addPartitions(a, p, [{ name: 'w', partitions: [0] }])).toEqual([['w', [[0, 0]]]]);
    expect(await produce(a, p, 0, 0, ['two-a1', 'two-a2'])).toMatchObject({ errorCode: 0 });
    expect(await produce(b, p, 0, 2, ['two-b'])).toMatchObject({ errorCode: 0 });
    expect((await readCommitted()).filter((r) => r.includes('two-'))).toEqual([]);
    expect(await endTxn(b, p, true)).toBe(0);
    expect((await readCommitted()).filter((r) => r.includes('two-'))).toEqual(['0:two-a1', '0:two-a2', '0:two-b']);
    expect(await endTxn(a, p, true)).toBe(0);
  });
});
