/**
 * kafkajs's own encoders and decoders (an independent implementation of the same
 * protocol) against ours: requests kafkajs frames decode with ours and re-encode to
 * the same bytes; responses ours encodes decode with kafkajs.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeRecordBatches, encodeRecordBatch } from '../../lib/log/index.js';
import { API_KEYS, decodeRequest, encodeRequest, encodeResponse, FrameSplitter, type ApiKey, type RequestBodies } from '../../lib/wire/index.js';

const require = createRequire(import.meta.url);

interface KafkajsRequest {
  apiKey: number;
  apiVersion: number;
  encode: () => Promise<unknown>;
}
type RequestBuilder = (args: Record<string, unknown>) => KafkajsRequest;
type ResponseDecoder = { decode: (raw: Buffer) => Promise<Record<string, unknown>> };

const frameRequest = require('kafkajs/src/protocol/request') as (args: {
  correlationId: number;
  clientId: string;
  request: KafkajsRequest;
}) => Promise<{ buffer: Buffer }>;

function kafkajsRequest(path: string): RequestBuilder {
  return require(`kafkajs/src/protocol/requests/${path}/request`) as RequestBuilder;
}

function kafkajsResponse(path: string): ResponseDecoder {
  return require(`kafkajs/src/protocol/requests/${path}/response`) as ResponseDecoder;
}

async function kafkajsFrame(path: string, args: Record<string, unknown>, correlationId = 42): Promise<Buffer> {
  const { buffer } = await frameRequest({ correlationId, clientId: 'kafkajs-client', request: kafkajsRequest(path)(args) });
  return buffer;
}

/** Decodes a kafkajs frame with ours, checks the header, and checks ours re-encodes it byte for byte. */
async function crossDecode<K extends ApiKey>(path: string, args: Record<string, unknown>, apiKey: K, apiVersion: number): Promise<RequestBodies[K]> {
  const frame = await kafkajsFrame(path, args);
  const [payload] = new FrameSplitter().push(frame);
  const decoded = decodeRequest(payload);
  expect(decoded.header).toEqual({ apiKey, apiVersion, correlationId: 42, clientId: 'kafkajs-client' });
  const body = decoded.body as RequestBodies[K];
  expect(encodeRequest(apiKey, apiVersion, decoded.header, body as never)).toEqual(frame);
  return body;
}

/** Our response frame's body, past the size prefix and the v0 header (correlation id), as kafkajs reads it. */
function responseBody(frame: Buffer, correlationId: number): Buffer {
  expect(frame.readInt32BE(0)).toBe(frame.length - 4);
  expect(frame.readInt32BE(4)).toBe(correlationId);
  return frame.subarray(8);
}

describe('requests encoded by kafkajs decode with ours and re-encode to the same bytes', () => {
  it('Metadata v0 and v1', async () => {
    const v0 = await crossDecode('metadata/v0', { topics: ['orders', 'payments'] }, API_KEYS.Metadata, 0);
    expect(v0).toMatchObject({ topics: [{ name: 'orders' }, { name: 'payments' }] });
    const v1 = await crossDecode('metadata/v1', { topics: ['orders'] }, API_KEYS.Metadata, 1);
    expect(v1).toMatchObject({ topics: [{ name: 'orders' }] });
  });

  it('Produce v3 carries a RecordBatch that lib/log decodes', async () => {
    const body = await crossDecode(
      'produce/v3',
      {
        acks: -1,
        timeout: 30000,
        transactionalId: null,
        topicData: [
          {
            topic: 'orders',
            partitions: [
              {
                partition: 2,
                firstSequence: 0,
                messages: [
                  { key: 'k1', value: 'v1', timestamp: 1_700_000_000_000 },
                  { key: null, value: 'v2', timestamp: 1_700_000_000_005, headers: { h: 'x' } },
                ],
              },
            ],
          },
        ],
      },
      API_KEYS.Produce,
      3,
    );
    expect(body).toMatchObject({ transactionalId: null, acks: -1, timeoutMs: 30000 });
    const topic = body.topicData[0];
    expect(topic.name).toBe('orders');
    expect(topic.partitionData[0].index).toBe(2);
    const [batch] = await decodeRecordBatches(topic.partitionData[0].records ?? Buffer.alloc(0));
    expect(batch.records.map((r) => [r.key?.toString() ?? null, r.value?.toString(), r.timestamp])).toEqual([
      ['k1', 'v1', 1_700_000_000_000],
      [null, 'v2', 1_700_000_000_005],
    ]);
    expect(batch.records[1].headers.map((h) => [h.key, h.value?.toString()])).toEqual([['h', 'x']]);
  });

  it('Fetch v4', async () => {
    const body = await crossDecode(
      'fetch/v4',
      {
        replicaId: -1,
        maxWaitTime: 500,
        minBytes: 1,
        maxBytes: 1048576,
        isolationLevel: 1,
        topics: [{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: '17', maxBytes: 65536 }] }],
      },
      API_KEYS.Fetch,
      4,
    );
    expect(body).toMatchObject({
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 1048576,
      isolationLevel: 1,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, fetchOffset: 17n, partitionMaxBytes: 65536 }] }],
    });
  });

  it('ListOffsets v2, FindCoordinator v1, JoinGroup v2, OffsetCommit v2, ApiVersions v1', async () => {
    expect(
      await crossDecode(
        'listOffsets/v2',
        { replicaId: -1, isolationLevel: 1, topics: [{ topic: 't', partitions: [{ partition: 3, timestamp: -2 }] }] },
        API_KEYS.ListOffsets,
        2,
      ),
    ).toMatchObject({ replicaId: -1, isolationLevel: 1, topics: [{ name: 't', partitions: [{ partitionIndex: 3, timestamp: -2n }] }] });
    expect(
      await crossDecode('findCoordinator/v1', { coordinatorKey: 'group-a', coordinatorType: 0 }, API_KEYS.FindCoordinator, 1),
    ).toMatchObject({ key: 'group-a', keyType: 0 });
    expect(
      await crossDecode(
        'joinGroup/v2',
        {
          groupId: 'g',
          sessionTimeout: 30000,
          rebalanceTimeout: 60000,
          memberId: '',
          protocolType: 'consumer',
          groupProtocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from([0, 1, 2]) }],
        },
        API_KEYS.JoinGroup,
        2,
      ),
    ).toMatchObject({
      groupId: 'g',
      sessionTimeoutMs: 30000,
      rebalanceTimeoutMs: 60000,
      memberId: '',
      protocolType: 'consumer',
      protocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from([0, 1, 2]) }],
    });
    expect(
      await crossDecode(
        'offsetCommit/v2',
        {
          groupId: 'g',
          groupGenerationId: 4,
          memberId: 'm-1',
          retentionTime: -1,
          topics: [{ topic: 't', partitions: [{ partition: 0, offset: '99', metadata: null }] }],
        },
        API_KEYS.OffsetCommit,
        2,
      ),
    ).toMatchObject({
      groupId: 'g',
      generationIdOrMemberEpoch: 4,
      memberId: 'm-1',
      retentionTimeMs: -1n,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 99n, committedMetadata: null }] }],
    });
    expect(await crossDecode('apiVersions/v1', {}, API_KEYS.ApiVersions, 1)).toEqual({
      clientSoftwareName: '',
      clientSoftwareVersion: '',
    });
  });
});

describe('responses encoded by ours decode with kafkajs', () => {
  it('Metadata v1', async () => {
    const frame = encodeResponse(API_KEYS.Metadata, 1, 7, {
      brokers: [{ nodeId: 1, host: 'gw.local', port: 9092, rack: null }],
      controllerId: 1,
      topics: [
        {
          errorCode: 0,
          name: 'orders',
          isInternal: false,
          partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1] }],
        },
      ],
    });
    expect(await kafkajsResponse('metadata/v1').decode(responseBody(frame, 7))).toEqual({
      brokers: [{ nodeId: 1, host: 'gw.local', port: 9092, rack: null }],
      controllerId: 1,
      topicMetadata: [
        {
          topicErrorCode: 0,
          topic: 'orders',
          isInternal: false,
          partitionMetadata: [{ partitionErrorCode: 0, partitionId: 0, leader: 1, replicas: [1], isr: [1] }],
        },
      ],
    });
  });

  it('Produce v3', async () => {
    const frame = encodeResponse(API_KEYS.Produce, 3, 8, {
      responses: [{ name: 'orders', partitionResponses: [{ index: 2, errorCode: 0, baseOffset: 1234n, logAppendTimeMs: -1 }] }],
      throttleTimeMs: 5,
    });
    expect(await kafkajsResponse('produce/v3').decode(responseBody(frame, 8))).toEqual({
      topics: [{ topicName: 'orders', partitions: [{ partition: 2, errorCode: 0, baseOffset: '1234', logAppendTime: '-1' }] }],
      throttleTime: 5,
    });
  });

  it('ApiVersions v0 and FindCoordinator v1', async () => {
    const versions = encodeResponse(API_KEYS.ApiVersions, 0, 1, { apiKeys: [{ apiKey: 0, minVersion: 3, maxVersion: 9 }] });
    expect(await kafkajsResponse('apiVersions/v0').decode(responseBody(versions, 1))).toEqual({
      errorCode: 0,
      apiVersions: [{ apiKey: 0, minVersion: 3, maxVersion: 9 }],
    });
    const coordinator = encodeResponse(API_KEYS.FindCoordinator, 1, 2, { nodeId: 1, host: 'gw', port: 9092, errorMessage: null });
    expect(await kafkajsResponse('findCoordinator/v1').decode(responseBody(coordinator, 2))).toEqual({
      throttleTime: 0,
      errorCode: 0,
      errorMessage: null,
      coordinator: { nodeId: 1, host: 'gw', port: 9092 },
    });
  });

  it('Fetch v4 with a RecordBatch from lib/log', async () => {
    const records = await encodeRecordBatch(
      [
        { key: Buffer.from('k'), value: Buffer.from('hello'), timestamp: 1_700_000_000_000 },
        { key: null, value: Buffer.from('world'), timestamp: 1_700_000_000_001 },
      ],
      { baseOffset: 10 },
    );
    const frame = encodeResponse(API_KEYS.Fetch, 4, 3, {
      responses: [
        {
          topic: 'orders',
          partitions: [{ partitionIndex: 0, highWatermark: 12n, lastStableOffset: 12n, abortedTransactions: [], records }],
        },
      ],
    });
    const decoded = await kafkajsResponse('fetch/v4').decode(responseBody(frame, 3));
    const partition = (decoded.responses as { partitions: Record<string, unknown>[] }[])[0].partitions[0];
    expect(partition).toMatchObject({ partition: 0, errorCode: 0, highWatermark: '12', lastStableOffset: '12' });
    const messages = partition.messages as { offset: string; key: Buffer | null; value: Buffer }[];
    expect(messages.map((m) => [m.offset, m.key?.toString() ?? null, m.value.toString()])).toEqual([
      ['10', 'k', 'hello'],
      ['11', null, 'world'],
    ]);
  });
});
