/** The gateway's protocol rules, over a raw connection: versions, ordering, acks 0, per-partition errors, waits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRecordBatch } from '../../lib/log/index.js';
import { SERVED_APIS } from '../../lib/gateway/apis/index.js';
import { API_KEYS, decodeResponse, encodeRequest, ZERO_UUID } from '../../lib/wire/index.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { correlationOf, WireClient } from '../support/wire-client.js';

let t: TestGateway;
const open = () => WireClient.open(t.gateway.host, t.gateway.port);

beforeAll(async () => {
  t = await createTestGateway();
  await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'p', numPartitions: 2 }] });
});
afterAll(async () => t.close());

const batch = (values: string[]) => encodeRecordBatch(values.map((v) => ({ key: null, value: Buffer.from(v), headers: [], timestamp: Date.now() })));

/** A frame of a request no definition has (ApiVersions at an unknown version, or an unknown API): header v2, empty body. */
function apiVersionsFrame(version: number, correlationId: number, apiKey: number = API_KEYS.ApiVersions): Buffer {
  const body = Buffer.alloc(2 + 2 + 4 + 2 + 1);
  body.writeInt16BE(apiKey, 0);
  body.writeInt16BE(version, 2);
  body.writeInt32BE(correlationId, 4);
  body.writeInt16BE(-1, 8);
  body.writeUInt8(0, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

describe('the gateway protocol', () => {
  it('advertises exactly the APIs and versions it serves', async () => {
    const c = await open();
    c.send(encodeRequest(API_KEYS.ApiVersions, 3, { correlationId: 1, clientId: 't' }, { clientSoftwareName: 't', clientSoftwareVersion: '1' }));
    const [payload] = await c.waitFor(1);
    const { body } = decodeResponse(API_KEYS.ApiVersions, 3, payload!);
    expect(body.errorCode).toBe(0);
    expect(body.apiKeys.map((a) => [a.apiKey, a.minVersion, a.maxVersion])).toEqual([
      [0, 3, 11], // Produce
      [1, 4, 13], // Fetch
      [2, 1, 6], // ListOffsets
      [3, 1, 12], // Metadata
      [8, 2, 9], // OffsetCommit
      [9, 1, 9], // OffsetFetch
      [10, 0, 6], // FindCoordinator
      [11, 0, 9], // JoinGroup
      [12, 0, 4], // Heartbeat
      [13, 0, 5], // LeaveGroup
      [14, 0, 5], // SyncGroup
      [15, 0, 5], // DescribeGroups
      [16, 0, 5], // ListGroups
      [17, 0, 1], // SaslHandshake
      [18, 0, 4], // ApiVersions
      [19, 2, 7], // CreateTopics
      [20, 1, 6], // DeleteTopics
      [21, 0, 2], // DeleteRecords
      [22, 0, 4], // InitProducerId
      [23, 0, 4], // OffsetForLeaderEpoch
      [24, 0, 3], // AddPartitionsToTxn
      [25, 0, 4], // AddOffsetsToTxn
      [26, 0, 4], // EndTxn
      [28, 0, 4], // TxnOffsetCommit
      [32, 0, 4], // DescribeConfigs
      [33, 0, 2], // AlterConfigs
      [35, 0, 4], // DescribeLogDirs
      [36, 0, 2], // SaslAuthenticate
      [37, 0, 3], // CreatePartitions
      [42, 0, 2], // DeleteGroups
      [44, 0, 1], // IncrementalAlterConfigs
      [47, 0, 0], // OffsetDelete
      [60, 0, 1], // DescribeCluster
      [61, 0, 0], // DescribeProducers
      [65, 0, 0], // DescribeTransactions
      [66, 0, 1], // ListTransactions
      [68, 0, 1], // ConsumerGroupHeartbeat
      [69, 0, 0], // ConsumerGroupDescribe
    ]);
    c.end();
  });

  it('answers an ApiVersions version it does not know with v0 UNSUPPORTED_VERSION and the list', async () => {
    const c = await open();
    c.send(apiVersionsFrame(9, 77));
    const [payload] = await c.waitFor(1);
    const { correlationId, body } = decodeResponse(API_KEYS.ApiVersions, 0, payload!);
    expect(correlationId).toBe(77);
    expect(body.errorCode).toBe(35);
    expect(body.apiKeys.length).toBe(SERVED_APIS.length);
    c.end();
  });

  it('closes only the connection that sends an API or version it does not serve', async () => {
    const bystander = await open();
    const old = await open();
    old.send(encodeRequest(API_KEYS.Produce, 2, { correlationId: 1 }, { acks: 1, timeoutMs: 1000, topicData: [] }));
    await old.waitClosed();
    const unserved = await open();
    unserved.send(apiVersionsFrame(0, 1, 32_000));
    await unserved.waitClosed();
    const garbage = await open();
    garbage.send(Buffer.from([0, 0, 0, 3, 1, 2, 3]));
    await garbage.waitClosed();
    bystander.send(encodeRequest(API_KEYS.Metadata, 12, { correlationId: 5 }, { topics: [] }));
    const [payload] = await bystander.waitFor(1);
    expect(correlationOf(payload!)).toBe(5);
    bystander.end();
  });

  it('answers pipelined requests in request order, a slow fetch before a fast ApiVersions', async () => {
    const c = await open();
    c.send(
      encodeRequest(API_KEYS.Fetch, 12, { correlationId: 10 }, { maxWaitMs: 300, minBytes: 1, maxBytes: 1 << 20, topics: [{ topic: 'p', partitions: [{ partition: 1, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }] }),
      encodeRequest(API_KEYS.ApiVersions, 3, { correlationId: 11 }, {}),
      encodeRequest(API_KEYS.Metadata, 9, { correlationId: 12 }, { topics: [{ name: 'p' }] }),
    );
    const payloads = await c.waitFor(3);
    expect(payloads.map(correlationOf)).toEqual([10, 11, 12]);
    const fetched = decodeResponse(API_KEYS.Fetch, 12, payloads[0]!).body;
    expect(fetched.responses[0]!.partitions[0]).toMatchObject({ errorCode: 0, highWatermark: 0n, records: Buffer.alloc(0) });
    c.end();
  });

  it('answers many pipelined requests, more than it queues before it stops reading, all in order', async () => {
    const c = await open();
    const ids = Array.from({ length: 300 }, (_, i) => 1000 + i);
    c.send(...ids.map((correlationId) => encodeRequest(API_KEYS.ApiVersions, 3, { correlationId }, {})));
    expect((await c.waitFor(ids.length)).map(correlationOf)).toEqual(ids);
    c.end();
  });

  it('sends no response for acks 0, and the records are stored', async () => {
    const c = await open();
    c.send(
      encodeRequest(API_KEYS.Produce, 9, { correlationId: 20 }, { acks: 0, timeoutMs: 1000, topicData: [{ name: 'p', partitionData: [{ index: 0, records: await batch(['fire', 'forget']) }] }] }),
      encodeRequest(API_KEYS.ListOffsets, 6, { correlationId: 21 }, { replicaId: -1, topics: [{ name: 'p', partitions: [{ partitionIndex: 0, timestamp: -1 }] }] }),
    );
    const [payload] = await c.waitFor(1);
    expect(correlationOf(payload!)).toBe(21);
    const listed = decodeResponse(API_KEYS.ListOffsets, 6, payload!).body;
    expect(listed.topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, offset: 2n });
    c.end();
  });

  it('answers produce errors per partition, and writes the good partitions', async () => {
    const c = await open();
    const records = await batch(['ok']);
    c.send(
      encodeRequest(API_KEYS.Produce, 9, { correlationId: 30 }, {
        acks: -1,
        timeoutMs: 1000,
        topicData: [
          { name: 'p', partitionData: [{ index: 1, records }, { index: 7, records }, { index: 0, records: Buffer.from('not a batch') }] },
          { name: 'nope', partitionData: [{ index: 0, records }] },
        ],
      }),
    );
    const [payload] = await c.waitFor(1);
    const { body } = decodeResponse(API_KEYS.Produce, 9, payload!);
    expect(body.responses.map((r) => [r.name, r.partitionResponses.map((p) => [p.index, p.errorCode])])).toEqual([
      ['p', [[1, 0], [7, 3], [0, 2]]],
      ['nope', [[0, 3]]],
    ]);
    expect(body.responses[0]!.partitionResponses[1]!.errorMessage).toMatch(/partition 7 does not exist/);
    c.send(encodeRequest(API_KEYS.ListOffsets, 6, { correlationId: 31 }, { replicaId: -1, topics: [{ name: 'p', partitions: [{ partitionIndex: 1, timestamp: -1 }] }] }));
    const [, listed] = await c.waitFor(2);
    expect(decodeResponse(API_KEYS.ListOffsets, 6, listed!).body.topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, offset: 1n });
    c.end();
  });

  it('waits up to max.wait.ms for min.bytes, and returns records as soon as they are committed', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'waited', numPartitions: 1 }] });
    const c = await open();
    c.send(encodeRequest(API_KEYS.Fetch, 11, { correlationId: 40 }, { maxWaitMs: 15_000, minBytes: 1, maxBytes: 1 << 20, topics: [{ topic: 'waited', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }] }));
    const producer = t.native.kafkaless.producer({ 'linger.ms': 0 });
    await producer.send({ topic: 'waited', messages: [{ value: 'late' }] });
    await producer.disconnect();
    const [payload] = await c.waitFor(1);
    const part = decodeResponse(API_KEYS.Fetch, 11, payload!).body.responses[0]!.partitions[0]!;
    expect(part.highWatermark).toBe(1n);
    expect(part.records!.includes(Buffer.from('late'))).toBe(true);
    c.end();
  });

  it('stores a produced batch as sent, and fetches it back byte for byte but for its base offset', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'verbatim', numPartitions: 1 }] });
    const c = await open();
    const first = await batch(['one']);
    const sent = await batch(['two', 'three']);
    for (const [i, records] of [first, sent].entries()) {
      c.send(encodeRequest(API_KEYS.Produce, 9, { correlationId: 60 + i }, { acks: -1, timeoutMs: 1000, topicData: [{ name: 'verbatim', partitionData: [{ index: 0, records }] }] }));
    }
    c.send(encodeRequest(API_KEYS.Fetch, 12, { correlationId: 62 }, { maxWaitMs: 0, maxBytes: 1 << 20, topics: [{ topic: 'verbatim', partitions: [{ partition: 0, fetchOffset: 1, partitionMaxBytes: 1 << 20 }] }] }));
    const [, produced, fetched] = await c.waitFor(3);
    expect(decodeResponse(API_KEYS.Produce, 9, produced!).body.responses[0]!.partitionResponses[0]!.baseOffset).toBe(1n);
    const records = decodeResponse(API_KEYS.Fetch, 12, fetched!).body.responses[0]!.partitions[0]!.records!;
    expect(records.readBigInt64BE(0)).toBe(1n);
    expect(records.subarray(8)).toEqual(sent.subarray(8));
    c.end();
  });

  it('fetches by topic id (v13), with the ids Metadata gives; an id no topic has is UNKNOWN_TOPIC_ID', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'by-id', numPartitions: 2 }] });
    const producer = t.native.kafkaless.producer({ 'linger.ms': 0 });
    await producer.send({ topic: 'by-id', messages: [{ partition: 1, value: 'found' }] });
    await producer.disconnect();
    const c = await open();
    c.send(encodeRequest(API_KEYS.Metadata, 12, { correlationId: 70 }, { topics: [{ name: 'by-id' }] }));
    const topicId = decodeResponse(API_KEYS.Metadata, 12, (await c.waitFor(1))[0]!).body.topics[0]!.topicId;
    const unknown = 'AAAAAAAAAAAAAAAAAAAAAQ';
    const partitions = [{ partition: 1, fetchOffset: 0, partitionMaxBytes: 1 << 20 }];
    c.send(encodeRequest(API_KEYS.Fetch, 13, { correlationId: 71 }, { maxWaitMs: 0, maxBytes: 1 << 20, topics: [{ topicId, partitions }, { topicId: unknown, partitions }] }));
    const fetched = decodeResponse(API_KEYS.Fetch, 13, (await c.waitFor(2))[1]!).body;
    expect(fetched.responses.map((r) => [r.topicId, r.partitions.map((p) => [p.partitionIndex, p.errorCode, p.highWatermark])])).toEqual([
      [topicId, [[1, 0, 1n]]],
      [unknown, [[1, 100, -1n]]],
    ]);
    expect(fetched.responses[0]!.partitions[0]!.records!.length).toBeGreaterThan(0);

    // The topic deleted and made again under its name: the old id reads nothing of the new topic.
    c.send(encodeRequest(API_KEYS.DeleteTopics, 6, { correlationId: 72 }, { topics: [{ name: 'by-id' }], timeoutMs: 1000 }));
    c.send(encodeRequest(API_KEYS.CreateTopics, 7, { correlationId: 73 }, { topics: [{ name: 'by-id', numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 1000, validateOnly: false }));
    await c.waitFor(4);
    const again = t.native.kafkaless.producer({ 'linger.ms': 0 });
    await again.send({ topic: 'by-id', messages: [{ partition: 1, value: 'new' }] });
    await again.disconnect();
    // Metadata may give the old id until the broker's topic cache (5 s) lets it go.
    let newId = topicId;
    while (newId === topicId) {
      c.send(encodeRequest(API_KEYS.Metadata, 12, { correlationId: 74 }, { topics: [{ name: 'by-id' }] }));
      newId = decodeResponse(API_KEYS.Metadata, 12, (await c.waitFor(c.responses.length + 1)).at(-1)!).body.topics[0]!.topicId;
      if (newId === topicId) await new Promise((r) => setTimeout(r, 250));
    }
    c.send(encodeRequest(API_KEYS.Fetch, 13, { correlationId: 75 }, { maxWaitMs: 0, maxBytes: 1 << 20, topics: [{ topicId, partitions }, { topicId: newId, partitions }] }));
    const refetched = decodeResponse(API_KEYS.Fetch, 13, (await c.waitFor(c.responses.length + 1)).at(-1)!).body;
    expect(refetched.responses.map((r) => [r.topicId, r.partitions.map((p) => [p.errorCode, p.highWatermark])])).toEqual([
      [topicId, [[100, -1n]]],
      [newId, [[0, 1n]]],
    ]);
    c.end();
  });

  it('names topics by id in Metadata and DeleteTopics; a topic asked for by id alone is UNKNOWN_TOPIC_ID', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'doomed', numPartitions: 1 }] });
    const c = await open();
    c.send(
      encodeRequest(API_KEYS.Metadata, 12, { correlationId: 50 }, { topics: [{ name: 'doomed' }, { name: null, topicId: 'AAAAAAAAAAAAAAAAAAAAAQ' }, { name: 'absent' }] }),
      encodeRequest(API_KEYS.DeleteTopics, 6, { correlationId: 51 }, { topics: [{ name: 'doomed' }, { name: 'absent' }], timeoutMs: 1000 }),
    );
    const [meta, deleted] = await c.waitFor(2);
    const topics = decodeResponse(API_KEYS.Metadata, 12, meta!).body.topics;
    expect(topics.map((x) => [x.name, x.errorCode])).toEqual([['doomed', 0], [null, 100], ['absent', 3]]);
    expect(topics[0]!.topicId).not.toBe(ZERO_UUID);
    const responses = decodeResponse(API_KEYS.DeleteTopics, 6, deleted!).body.responses;
    expect(responses.map((r) => [r.name, r.errorCode, r.topicId])).toEqual([['doomed', 0, topics[0]!.topicId], ['absent', 3, ZERO_UUID]]);
    c.end();
  });

  it('is the coordinator of every group and transactional id, in the single and the batched form', async () => {
    const c = await open();
    c.send(
      encodeRequest(API_KEYS.FindCoordinator, 2, { correlationId: 60 }, { key: 'g1', keyType: 0 }),
      encodeRequest(API_KEYS.FindCoordinator, 4, { correlationId: 61 }, { keyType: 1, coordinatorKeys: ['t1', 't2', ''] }),
      encodeRequest(API_KEYS.FindCoordinator, 2, { correlationId: 62 }, { key: 'g1', keyType: 7 }),
    );
    const [single, batched, badType] = await c.waitFor(3);
    const one = decodeResponse(API_KEYS.FindCoordinator, 2, single!).body;
    expect([one.errorCode, one.nodeId, one.host, one.port]).toEqual([0, 0, t.gateway.host, t.gateway.port]);
    const many = decodeResponse(API_KEYS.FindCoordinator, 4, batched!).body.coordinators;
    expect(many.map((k) => [k.key, k.errorCode, k.nodeId, k.port])).toEqual([['t1', 0, 0, t.gateway.port], ['t2', 0, 0, t.gateway.port], ['', 42, -1, -1]]);
    expect(decodeResponse(API_KEYS.FindCoordinator, 2, badType!).body.errorCode).toBe(42);
    c.end();
  });
});
