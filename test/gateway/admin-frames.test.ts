/** The gateway's admin APIs over raw frames: what kafkajs cannot send, and every per-resource error answer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, decodeResponse, encodeRequest, type ApiKey, type RequestBodies, type ResponseBodies, type WireInput } from '../../lib/wire/index.js';
import { TOPIC_CONFIG_NAMES } from '../../lib/protocol/topic-config.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { WireClient } from '../support/wire-client.js';

let t: TestGateway;
let c: WireClient;
let correlationId = 0;

const TOPIC = 2;
const BROKER = 4;
const BROKER_LOGGER = 8;
const SET = 0;
const DELETE = 1;
const APPEND = 2;
const SUBTRACT = 3;
const ERR = {
  OFFSET_OUT_OF_RANGE: 1,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICA_ASSIGNMENT: 39,
  INVALID_CONFIG: 40,
  INVALID_REQUEST: 42,
  FENCED_LEADER_EPOCH: 74,
  UNKNOWN_LEADER_EPOCH: 75,
  MISMATCHED_ENDPOINT_TYPE: 114,
} as const;

beforeAll(async () => {
  t = await createTestGateway();
  const admin = t.native.kafkaless.admin();
  await admin.createTopics({ topics: [{ topic: 'cfg', configEntries: [{ name: 'retention.ms', value: '1000' }] }, { topic: 'epochs', numPartitions: 2 }, { topic: 'trim' }, { topic: 'parts' }] });
  const producer = t.native.kafkaless.producer({ 'linger.ms': 0 });
  await producer.send({ topic: 'epochs', messages: ['a', 'b', 'c'].map((value) => ({ value, partition: 0 })) });
  await producer.send({ topic: 'trim', messages: ['a', 'b', 'c', 'd'].map((value) => ({ value, partition: 0 })) });
  await producer.disconnect();
  c = await WireClient.open(t.gateway.host, t.gateway.port);
});
afterAll(async () => {
  c.end();
  await t.close();
});

async function ask<K extends ApiKey>(apiKey: K, version: number, body: WireInput<RequestBodies[K]>): Promise<ResponseBodies[K]> {
  const id = ++correlationId;
  c.send(encodeRequest(apiKey, version, { correlationId: id, clientId: 'frames' }, body));
  const payloads = await c.waitFor(id);
  expect(c.closed).toBe(false);
  return decodeResponse(apiKey, version, payloads[id - 1]!).body as ResponseBodies[K];
}

const explicitConfigs = async (topic: string) =>
  Object.fromEntries((await t.native.kafkaless.admin().describeConfigs({ topics: [topic] }))[0]!.configEntries.filter((e) => !e.isDefault).map((e) => [e.name, e.value]));

describe('admin APIs over raw frames', () => {
  it('OffsetForLeaderEpoch: epoch 0 ends at the high watermark; other epochs and unknown partitions as Kafka answers them', async () => {
    for (const version of [0, 2, 4]) {
      const body = await ask(API_KEYS.OffsetForLeaderEpoch, version, {
        replicaId: -1,
        topics: [
          {
            topic: 'epochs',
            partitions: [
              { partition: 0, currentLeaderEpoch: 0, leaderEpoch: 0 },
              { partition: 1, currentLeaderEpoch: -1, leaderEpoch: 0 },
              { partition: 7, currentLeaderEpoch: 0, leaderEpoch: 0 },
            ],
          },
          { topic: 'no-such-topic', partitions: [{ partition: 0, currentLeaderEpoch: 0, leaderEpoch: 0 }] },
        ],
      });
      const epochs = body.topics[0]!.partitions.map((p) => [p.partition, p.errorCode, p.endOffset]);
      expect(epochs).toEqual([
        [0, 0, 3n],
        [1, 0, 0n],
        [7, ERR.UNKNOWN_TOPIC_OR_PARTITION, -1n],
      ]);
      if (version >= 1) expect(body.topics[0]!.partitions[0]!.leaderEpoch).toBe(0);
      expect(body.topics[1]).toMatchObject({ topic: 'no-such-topic', partitions: [{ errorCode: ERR.UNKNOWN_TOPIC_OR_PARTITION, endOffset: -1n }] });
    }
    const fenced = await ask(API_KEYS.OffsetForLeaderEpoch, 4, {
      replicaId: -1,
      topics: [
        {
          topic: 'epochs',
          partitions: [
            { partition: 0, currentLeaderEpoch: 1, leaderEpoch: 1 },
            { partition: 0, currentLeaderEpoch: -5, leaderEpoch: 0 },
            { partition: 0, currentLeaderEpoch: 0, leaderEpoch: 4 },
          ],
        },
      ],
    });
    expect(fenced.topics[0]!.partitions.map((p) => [p.errorCode, p.leaderEpoch, p.endOffset])).toEqual([
      [ERR.UNKNOWN_LEADER_EPOCH, -1, -1n],
      [ERR.FENCED_LEADER_EPOCH, -1, -1n],
      [0, -1, -1n],
    ]);
  });

  it('IncrementalAlterConfigs: SET, APPEND, SUBTRACT and DELETE; validateOnly changes nothing', async () => {
    const alter = (configs: { name: string; configOperation: number; value: string | null }[], validateOnly = false) =>
      ask(API_KEYS.IncrementalAlterConfigs, 1, { validateOnly, resources: [{ resourceType: TOPIC, resourceName: 'cfg', configs }] });
    const dry = await alter([{ name: 'segment.ms', configOperation: SET, value: '60000' }], true);
    expect(dry.responses).toEqual([expect.objectContaining({ errorCode: 0, resourceType: TOPIC, resourceName: 'cfg' })]);
    expect(await explicitConfigs('cfg')).toEqual({ 'retention.ms': '1000' });
    const set = await alter([
      { name: 'segment.ms', configOperation: SET, value: '60000' },
      { name: 'cleanup.policy', configOperation: APPEND, value: 'compact' },
    ]);
    expect(set.responses[0]!.errorCode).toBe(0);
    expect(await explicitConfigs('cfg')).toEqual({ 'retention.ms': '1000', 'segment.ms': '60000', 'cleanup.policy': 'delete,compact' });
    await alter([
      { name: 'cleanup.policy', configOperation: SUBTRACT, value: 'delete' },
      { name: 'retention.ms', configOperation: DELETE, value: null },
    ]);
    expect(await explicitConfigs('cfg')).toEqual({ 'segment.ms': '60000', 'cleanup.policy': 'compact' });
  });

  it('IncrementalAlterConfigs answers each bad resource with its own error and changes none of them', async () => {
    const before = await explicitConfigs('cfg');
    const body = await ask(API_KEYS.IncrementalAlterConfigs, 0, {
      validateOnly: false,
      resources: [
        { resourceType: TOPIC, resourceName: 'cfg', configs: [{ name: 'no.such.config', configOperation: SET, value: '1' }] },
        { resourceType: TOPIC, resourceName: 'parts', configs: [{ name: 'retention.ms', configOperation: SET, value: 'forever' }] },
        { resourceType: TOPIC, resourceName: 'epochs', configs: [{ name: 'retention.ms', configOperation: APPEND, value: '5' }] },
        { resourceType: TOPIC, resourceName: 'trim', configs: [{ name: 'retention.ms', configOperation: 9, value: '5' }] },
        { resourceType: TOPIC, resourceName: 'missing', configs: [{ name: 'retention.ms', configOperation: SET, value: '5' }] },
        { resourceType: BROKER, resourceName: '0', configs: [{ name: 'log.retention.ms', configOperation: SET, value: '5' }] },
        { resourceType: BROKER_LOGGER, resourceName: '0', configs: [] },
      ],
    });
    expect(body.responses.map((r) => [r.resourceName, r.errorCode])).toEqual([
      ['cfg', ERR.INVALID_CONFIG],
      ['parts', ERR.INVALID_CONFIG],
      ['epochs', ERR.INVALID_CONFIG],
      ['trim', ERR.INVALID_REQUEST],
      ['missing', ERR.UNKNOWN_TOPIC_OR_PARTITION],
      ['0', ERR.INVALID_REQUEST],
      ['0', ERR.INVALID_REQUEST],
    ]);
    expect(body.responses[0]!.errorMessage).toMatch(/Unknown topic config name: no.such.config/);
    expect(body.responses[1]!.errorMessage).toMatch(/Invalid value forever for configuration retention.ms/);
    expect(await explicitConfigs('cfg')).toEqual(before);
    expect(await explicitConfigs('parts')).toEqual({});

    const twice = await ask(API_KEYS.IncrementalAlterConfigs, 1, {
      validateOnly: false,
      resources: [
        { resourceType: TOPIC, resourceName: 'parts', configs: [{ name: 'retention.ms', configOperation: SET, value: '5' }] },
        { resourceType: TOPIC, resourceName: 'parts', configs: [{ name: 'segment.ms', configOperation: SET, value: '5' }] },
        { resourceType: TOPIC, resourceName: 'trim', configs: [] },
      ],
    });
    expect(twice.responses.map((r) => r.errorCode)).toEqual([ERR.INVALID_REQUEST, ERR.INVALID_REQUEST, 0]);
    expect(await explicitConfigs('parts')).toEqual({});
  });

  it('AlterConfigs: a bad name, a bad value, an unknown topic or another resource type is refused per resource; validateOnly changes nothing', async () => {
    const before = await explicitConfigs('cfg');
    const body = await ask(API_KEYS.AlterConfigs, 2, {
      validateOnly: false,
      resources: [
        { resourceType: TOPIC, resourceName: 'cfg', configs: [{ name: 'retention.msx', value: '5' }] },
        { resourceType: TOPIC, resourceName: 'parts', configs: [{ name: 'segment.bytes', value: '1' }] },
        { resourceType: TOPIC, resourceName: 'missing', configs: [] },
        { resourceType: BROKER_LOGGER, resourceName: '0', configs: [] },
        { resourceType: TOPIC, resourceName: 'epochs', configs: [{ name: 'retention.ms', value: null }] },
        { resourceType: TOPIC, resourceName: 'trim', configs: [{ name: 'retention.ms', value: '5' }, { name: 'retention.ms', value: '6' }] },
      ],
    });
    expect(body.responses.map((r) => r.errorCode)).toEqual([
      ERR.INVALID_CONFIG,
      ERR.INVALID_CONFIG,
      ERR.UNKNOWN_TOPIC_OR_PARTITION,
      ERR.INVALID_REQUEST,
      ERR.INVALID_REQUEST,
      ERR.INVALID_REQUEST,
    ]);
    expect(body.responses[4]!.errorMessage).toMatch(/Null value not supported for : retention.ms/);
    expect(await explicitConfigs('cfg')).toEqual(before);
    const dry = await ask(API_KEYS.AlterConfigs, 0, { validateOnly: true, resources: [{ resourceType: TOPIC, resourceName: 'cfg', configs: [] }] });
    expect(dry.responses[0]!.errorCode).toBe(0);
    expect(await explicitConfigs('cfg')).toEqual(before);
  });

  it('DescribeConfigs: types and documentation from v3, isDefault in v0, errors per resource', async () => {
    const v4 = await ask(API_KEYS.DescribeConfigs, 4, {
      includeSynonyms: false,
      includeDocumentation: true,
      resources: [
        { resourceType: TOPIC, resourceName: 'parts', configurationKeys: ['retention.ms', 'cleanup.policy', 'preallocate'] },
        { resourceType: TOPIC, resourceName: 'missing', configurationKeys: null },
        { resourceType: BROKER, resourceName: '7', configurationKeys: null },
        { resourceType: BROKER_LOGGER, resourceName: '0', configurationKeys: null },
        { resourceType: BROKER, resourceName: '', configurationKeys: ['num.partitions'] },
      ],
    });
    expect(v4.results.map((r) => [r.resourceName, r.errorCode])).toEqual([
      ['parts', 0],
      ['missing', ERR.UNKNOWN_TOPIC_OR_PARTITION],
      ['7', ERR.INVALID_REQUEST],
      ['0', ERR.INVALID_REQUEST],
      ['', 0],
    ]);
    const parts = Object.fromEntries(v4.results[0]!.configs.map((e) => [e.name, e]));
    expect(parts['retention.ms']).toMatchObject({ value: '604800000', configSource: 5, configType: 5, readOnly: false });
    expect(parts['cleanup.policy']).toMatchObject({ configType: 7 });
    expect(parts['preallocate']!.documentation).toMatch(/^Accepted without effect/);
    expect(v4.results[4]!.configs).toEqual([expect.objectContaining({ name: 'num.partitions', value: '1', readOnly: true, configType: 3 })]);
    const v0 = await ask(API_KEYS.DescribeConfigs, 0, { resources: [{ resourceType: TOPIC, resourceName: 'trim', configurationKeys: ['retention.ms'] }] });
    expect(v0.results[0]!.configs).toEqual([expect.objectContaining({ name: 'retention.ms', isDefault: true })]);
    const none = await ask(API_KEYS.DescribeConfigs, 1, { includeSynonyms: false, resources: [{ resourceType: TOPIC, resourceName: 'trim', configurationKeys: [] }] });
    expect(none.results[0]!.configs.map((e) => e.name).sort()).toEqual([...TOPIC_CONFIG_NAMES].sort());
  });

  it('CreatePartitions: assignments naming another broker, a repeated topic, validateOnly', async () => {
    const body = await ask(API_KEYS.CreatePartitions, 3, {
      timeoutMs: 1000,
      validateOnly: false,
      topics: [
        { name: 'parts', count: 3, assignments: [{ brokerIds: [0] }, { brokerIds: [5] }] },
        { name: 'epochs', count: 3, assignments: null },
        { name: 'epochs', count: 4, assignments: null },
        { name: 'trim', count: 1, assignments: null },
        { name: 'missing', count: 2, assignments: null },
      ],
    });
    expect(body.results.map((r) => [r.name, r.errorCode])).toEqual([
      ['parts', ERR.INVALID_REPLICA_ASSIGNMENT],
      ['epochs', ERR.INVALID_REQUEST],
      ['epochs', ERR.INVALID_REQUEST],
      ['trim', ERR.INVALID_PARTITIONS],
      ['missing', ERR.UNKNOWN_TOPIC_OR_PARTITION],
    ]);
    const dry = await ask(API_KEYS.CreatePartitions, 0, { timeoutMs: 1000, validateOnly: true, topics: [{ name: 'parts', count: 4, assignments: null }] });
    expect(dry.results[0]!.errorCode).toBe(0);
    const grown = await ask(API_KEYS.CreatePartitions, 1, { timeoutMs: 1000, validateOnly: false, topics: [{ name: 'parts', count: 2, assignments: [{ brokerIds: [0] }] }] });
    expect(grown.results[0]!.errorCode).toBe(0);
    const described = await t.native.kafkaless.admin().describeTopics({ topics: ['parts', 'epochs', 'trim'] });
    expect(described.map((d) => [d.topic, d.partitions.length])).toEqual([['parts', 2], ['epochs', 2], ['trim', 1]]);
  });

  it('DeleteRecords: the low watermark moves, a fetch from below it is out of range; bad offsets and partitions per partition', async () => {
    const body = await ask(API_KEYS.DeleteRecords, 2, {
      timeoutMs: 1000,
      topics: [
        { name: 'trim', partitions: [{ partitionIndex: 0, offset: 2 }, { partitionIndex: 3, offset: 1 }] },
        { name: 'epochs', partitions: [{ partitionIndex: 0, offset: 9 }, { partitionIndex: 1, offset: -1 }] },
        { name: 'missing', partitions: [{ partitionIndex: 0, offset: 0 }] },
      ],
    });
    expect(body.topics.map((tp) => [tp.name, tp.partitions.map((p) => [p.partitionIndex, p.errorCode, p.lowWatermark])])).toEqual([
      ['trim', [[0, 0, 2n], [3, ERR.UNKNOWN_TOPIC_OR_PARTITION, -1n]]],
      ['epochs', [[0, ERR.OFFSET_OUT_OF_RANGE, -1n], [1, 0, 0n]]],
      ['missing', [[0, ERR.UNKNOWN_TOPIC_OR_PARTITION, -1n]]],
    ]);
    const fetched = await ask(API_KEYS.Fetch, 12, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      topics: [{ topic: 'trim', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }],
    });
    expect(fetched.responses[0]!.partitions[0]!.errorCode).toBe(ERR.OFFSET_OUT_OF_RANGE);
    const earliest = await ask(API_KEYS.ListOffsets, 6, { replicaId: -1, topics: [{ name: 'trim', partitions: [{ partitionIndex: 0, timestamp: -2 }] }] });
    expect(earliest.topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, offset: 2n });
    const all = await ask(API_KEYS.DeleteRecords, 0, { timeoutMs: 1000, topics: [{ name: 'trim', partitions: [{ partitionIndex: 0, offset: -1 }] }] });
    expect(all.topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, lowWatermark: 4n });
  });

  it('DescribeCluster: this gateway as broker and controller, the cluster id Metadata answers; controllers asked of a broker is MISMATCHED_ENDPOINT_TYPE', async () => {
    const meta = await ask(API_KEYS.Metadata, 12, { topics: [] });
    const v0 = await ask(API_KEYS.DescribeCluster, 0, { includeClusterAuthorizedOperations: false });
    expect(v0).toMatchObject({ errorCode: 0, clusterId: meta.clusterId, controllerId: 0, brokers: [{ brokerId: 0, host: t.gateway.host, port: t.gateway.port, rack: null }] });
    expect(v0.clusterId).toBe((await t.native.kafkaless.admin().describeCluster()).clusterId);
    const controllers = await ask(API_KEYS.DescribeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 2 });
    expect(controllers).toMatchObject({ errorCode: ERR.MISMATCHED_ENDPOINT_TYPE, brokers: [] });
  });

  it('DescribeLogDirs: one log dir holding every partition, sized as the broker counts it; absent topics and partitions left out', async () => {
    const native = await t.native.kafkaless.admin().describeTopics({ topics: ['epochs'] });
    const sizes = native[0]!.partitions.map((p) => p.bytes);
    expect(sizes[0]).toBeGreaterThan(0);
    const all = await ask(API_KEYS.DescribeLogDirs, 4, { topics: null });
    expect(all.results).toHaveLength(1);
    expect(all.results[0]).toMatchObject({ errorCode: 0, totalBytes: -1n, usableBytes: -1n });
    const epochs = all.results[0]!.topics.find((tp) => tp.name === 'epochs')!;
    expect(epochs.partitions.map((p) => [p.partitionIndex, p.partitionSize, p.offsetLag, p.isFutureKey])).toEqual([
      [0, BigInt(sizes[0]!), 0n, false],
      [1, BigInt(sizes[1]!), 0n, false],
    ]);
    expect(all.results[0]!.topics.map((tp) => tp.name).sort()).toEqual(['cfg', 'epochs', 'parts', 'trim']);
    const some = await ask(API_KEYS.DescribeLogDirs, 1, { topics: [{ topic: 'epochs', partitions: [1, 9] }, { topic: 'missing', partitions: [0] }] });
    expect(some.results[0]!.topics).toEqual([expect.objectContaining({ name: 'epochs', partitions: [expect.objectContaining({ partitionIndex: 1, partitionSize: BigInt(sizes[1]!) })] })]);
  });
});
