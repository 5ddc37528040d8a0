/**
 * @platformatic/kafka (an independent implementation of the modern, flexible
 * versions) against ours: its request bodies equal ours byte for byte, and its
 * response parsers read what ours encodes.
 */
import { describe, expect, it } from 'vitest';
import { apiVersionsV3, heartbeatV4, metadataV12, produceV9, Reader } from '@platformatic/kafka';
import { decodeRecordBatches } from '../../lib/log/index.js';
import { API_KEYS, decodeRequest, decodeRequestHeader, encodeRequest, encodeResponse, ZERO_UUID, type ApiKey, type ProduceRequest } from '../../lib/wire/index.js';

/** Our request's body bytes: the frame past its size prefix and header. */
function ourRequestBody(apiKey: ApiKey, version: number, body: Record<string, unknown>): Buffer {
  const payload = encodeRequest(apiKey, version, { correlationId: 1, clientId: 'c' }, body as never).subarray(4);
  return payload.subarray(decodeRequestHeader(payload).bodyOffset);
}

/** Our response's body bytes: past the size prefix and the v1 header (correlation id, empty tagged fields). */
function ourResponseBody(frame: Buffer): Buffer {
  expect(frame[8]).toBe(0);
  return frame.subarray(9);
}

describe('flexible requests: platformatic bodies equal ours', () => {
  it('Metadata v12', () => {
    const theirs = metadataV12.createRequest(['orders', 'payments'], true, false).buffer;
    const ours = ourRequestBody(API_KEYS.Metadata, 12, {
      topics: [
        { topicId: ZERO_UUID, name: 'orders' },
        { topicId: ZERO_UUID, name: 'payments' },
      ],
      allowAutoTopicCreation: true,
    });
    expect(ours).toEqual(theirs);
  });

  it('ApiVersions v3 and Heartbeat v4', () => {
    expect(ourRequestBody(API_KEYS.ApiVersions, 3, { clientSoftwareName: 'kafkaless', clientSoftwareVersion: '1.0' })).toEqual(
      apiVersionsV3.createRequest('kafkaless', '1.0').buffer,
    );
    expect(ourRequestBody(API_KEYS.Heartbeat, 4, { groupId: 'g', generationId: 3, memberId: 'm', groupInstanceId: null })).toEqual(
      heartbeatV4.createRequest('g', 3, 'm', null).buffer,
    );
  });

  it('Produce v9: the compact records lib/log decodes', async () => {
    const theirs = produceV9.createRequest(-1, 5000, [{ topic: 'orders', partition: 1, key: Buffer.from('k'), value: Buffer.from('v'), timestamp: 1_700_000_000_000n }]).buffer;
    const frame = encodeRequest(API_KEYS.Produce, 9, { correlationId: 1, clientId: 'c' }, {});
    const header = frame.subarray(4, 4 + decodeRequestHeader(frame.subarray(4)).bodyOffset);
    const body = decodeRequest(Buffer.concat([header, theirs])).body as ProduceRequest;
    expect(body).toMatchObject({ transactionalId: null, acks: -1, timeoutMs: 5000 });
    const partition = body.topicData[0];
    expect(partition.name).toBe('orders');
    expect(partition.partitionData[0].index).toBe(1);
    const [batch] = await decodeRecordBatches(partition.partitionData[0].records ?? Buffer.alloc(0));
    expect(batch.records.map((r) => [r.key?.toString(), r.value?.toString(), r.timestamp])).toEqual([['k', 'v', 1_700_000_000_000]]);
    expect(ourRequestBody(API_KEYS.Produce, 9, { ...body })).toEqual(theirs);
  });
});

describe('flexible responses: platformatic parses ours', () => {
  it('ApiVersions v3', () => {
    const frame = encodeResponse(API_KEYS.ApiVersions, 3, 5, {
      apiKeys: [{ apiKey: 3, minVersion: 0, maxVersion: 12 }],
      throttleTimeMs: 0,
    });
    // ApiVersions responses always use header v0: no tagged fields after the correlation id.
    expect(frame.readInt32BE(4)).toBe(5);
    const parsed = apiVersionsV3.parseResponse(5, 18, 3, Reader.from(frame.subarray(8)));
    expect(parsed).toMatchObject({ errorCode: 0, apiKeys: [{ apiKey: 3, minVersion: 0, maxVersion: 12 }], throttleTimeMs: 0 });
  });

  it('Metadata v12', () => {
    const topicId = Buffer.alloc(16, 7).toString('base64url');
    const frame = encodeResponse(API_KEYS.Metadata, 12, 6, {
      brokers: [{ nodeId: 0, host: 'gw', port: 9092, rack: null }],
      clusterId: 'kafkaless',
      controllerId: 0,
      topics: [
        {
          errorCode: 0,
          name: 'orders',
          topicId,
          partitions: [{ partitionIndex: 0, leaderId: 0, leaderEpoch: 1, replicaNodes: [0], isrNodes: [0], offlineReplicas: [] }],
          topicAuthorizedOperations: -2147483648,
        },
      ],
    });
    const parsed = metadataV12.parseResponse(6, 3, 12, Reader.from(ourResponseBody(frame)));
    expect(parsed).toMatchObject({
      throttleTimeMs: 0,
      brokers: [{ nodeId: 0, host: 'gw', port: 9092, rack: null }],
      clusterId: 'kafkaless',
      controllerId: 0,
      topics: [{ errorCode: 0, name: 'orders', isInternal: false, partitions: [{ partitionIndex: 0, leaderEpoch: 1, isrNodes: [0] }] }],
    });
  });
});
