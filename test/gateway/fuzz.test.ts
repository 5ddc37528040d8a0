/**
 * Hostile input to the server: random bytes, and valid read-only requests
 * with bytes flipped, cut or inserted. The server never crashes, a bad frame
 * closes its connection or gets a protocol answer, and nothing changes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRecordBatch } from '../../lib/log/index.js';
import { API_KEYS, decodeRequest, decodeResponse, encodeRequest, ZERO_UUID } from '../../lib/wire/index.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { WireClient } from '../support/wire-client.js';

let t: TestGateway;
/** Connections closed for anything but a bad frame: a gateway bug. */
const failures: unknown[] = [];
const open = () => WireClient.open(t.gateway.host, t.gateway.port);

async function state() {
  const admin = t.native.kafkaless.admin();
  const described = await admin.describeTopics();
  return {
    topics: described.map((d) => [d.topic, d.topicId, d.partitions.map((p) => [p.partition, p.highWatermark, p.logStartOffset])]).sort(),
    configs: await admin.describeConfigs({ topics: ['kept'] }),
    groups: await admin.listGroups(),
    offsets: await admin.fetchOffsets({ groupId: 'fz-g' }),
    transactions: await admin.listTransactions(),
  };
}

beforeAll(async () => {
  t = await createTestGateway({ log: (level, _message, fields) => (level === 'error' ? failures.push(fields) : undefined) });
  await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'kept', numPartitions: 2 }] });
  const producer = t.native.kafkaless.producer({ 'linger.ms': 0 });
  await producer.send({ topic: 'kept', messages: [{ value: 'a', partition: 0 }, { value: 'b', partition: 1 }] });
  await producer.disconnect();
  // A group with a committed offset, which the write frames below name (and must not change).
  await t.native.kafkaless.admin().setOffsets({ groupId: 'fz-g', topic: 'kept', partitions: [{ partition: 1, offset: 1 }] });
});
afterAll(async () => t.close());

/** Valid frames of requests that read only, and how many leading bytes a mutation keeps (the size, the API key, a fetch's max wait). */
const readFrames: { frame: Buffer; keep: number }[] = [
  { frame: encodeRequest(API_KEYS.ApiVersions, 3, { correlationId: 1, clientId: 'f' }, { clientSoftwareName: 'f', clientSoftwareVersion: '1' }), keep: 6 },
  { frame: encodeRequest(API_KEYS.Metadata, 12, { correlationId: 2, clientId: 'f' }, { topics: [{ name: 'kept' }] }), keep: 6 },
  { frame: encodeRequest(API_KEYS.Metadata, 4, { correlationId: 3, clientId: 'f' }, { topics: null }), keep: 6 },
  { frame: encodeRequest(API_KEYS.ListOffsets, 5, { correlationId: 4, clientId: 'f' }, { replicaId: -1, topics: [{ name: 'kept', partitions: [{ partitionIndex: 1, timestamp: -2 }] }] }), keep: 6 },
  {
    frame: encodeRequest(API_KEYS.Fetch, 12, { correlationId: 5, clientId: 'f' }, { maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 16, topics: [{ topic: 'kept', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 16 }] }] }),
    keep: 24,
  },
  {
    frame: encodeRequest(API_KEYS.Fetch, 4, { correlationId: 6, clientId: 'f' }, { maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 16, topics: [{ topic: 'kept', partitions: [{ partition: 1, fetchOffset: 0, partitionMaxBytes: 1 << 16 }] }] }),
    keep: 23,
  },
  {
    frame: encodeRequest(API_KEYS.DescribeConfigs, 4, { correlationId: 7, clientId: 'f' }, { includeSynonyms: true, includeDocumentation: true, resources: [{ resourceType: 2, resourceName: 'kept', configurationKeys: null }, { resourceType: 4, resourceName: '0', configurationKeys: ['num.partitions'] }] }),
    keep: 6,
  },
  { frame: encodeRequest(API_KEYS.OffsetForLeaderEpoch, 4, { correlationId: 8, clientId: 'f' }, { replicaId: -1, topics: [{ topic: 'kept', partitions: [{ partition: 1, currentLeaderEpoch: 0, leaderEpoch: 0 }] }] }), keep: 6 },
  { frame: encodeRequest(API_KEYS.DescribeCluster, 1, { correlationId: 9, clientId: 'f' }, { includeClusterAuthorizedOperations: false, endpointType: 1 }), keep: 6 },
  { frame: encodeRequest(API_KEYS.ListTransactions, 1, { correlationId: 10, clientId: 'f' }, { stateFilters: ['Ongoing'], producerIdFilters: [], durationFilter: -1n }), keep: 6 },
  { frame: encodeRequest(API_KEYS.DescribeTransactions, 0, { correlationId: 11, clientId: 'f' }, { transactionalIds: ['none'] }), keep: 6 },
  { frame: encodeRequest(API_KEYS.DescribeProducers, 0, { correlationId: 12, clientId: 'f' }, { topics: [{ name: 'kept', partitionIndexes: [0] }] }), keep: 6 },
  { frame: encodeRequest(API_KEYS.FindCoordinator, 4, { correlationId: 13, clientId: 'f' }, { keyType: 0, coordinatorKeys: ['fz-g'] }), keep: 6 },
  { frame: encodeRequest(API_KEYS.DescribeGroups, 5, { correlationId: 14, clientId: 'f' }, { groups: ['fz-g'], includeAuthorizedOperations: false }), keep: 6 },
  { frame: encodeRequest(API_KEYS.ListGroups, 5, { correlationId: 15, clientId: 'f' }, { statesFilter: [], typesFilter: [] }), keep: 6 },
  { frame: encodeRequest(API_KEYS.OffsetFetch, 8, { correlationId: 16, clientId: 'f' }, { groups: [{ groupId: 'fz-g', topics: null }], requireStable: false }), keep: 6 },
  { frame: encodeRequest(API_KEYS.ConsumerGroupDescribe, 0, { correlationId: 17, clientId: 'f' }, { groupIds: ['fz-g'], includeAuthorizedOperations: false }), keep: 6 },
  { frame: encodeRequest(API_KEYS.DescribeLogDirs, 4, { correlationId: 18, clientId: 'f' }, { topics: null }), keep: 6 },
];

const txn = { transactionalId: 'fz-t', producerId: 1n, producerEpoch: 0 };
const oneRecord = await encodeRecordBatch([{ key: null, value: Buffer.from('z'), headers: [], timestamp: Date.now() }]);
const oneOffset = [{ name: 'kept', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null }] }];

/**
 * Valid frames of every API that writes. Never sent whole: only cut short
 * or with bytes after them, which no decoder accepts, so each must close
 * its connection and change nothing.
 */
const writeFrames: Buffer[] = [
  encodeRequest(API_KEYS.Produce, 9, { correlationId: 30, clientId: 'f' }, { transactionalId: null, acks: -1, timeoutMs: 1000, topicData: [{ name: 'kept', partitionData: [{ index: 0, records: oneRecord }] }] }),
  encodeRequest(API_KEYS.CreateTopics, 7, { correlationId: 31, clientId: 'f' }, { topics: [{ name: 'fz-new', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 1000, validateOnly: false }),
  encodeRequest(API_KEYS.DeleteTopics, 6, { correlationId: 32, clientId: 'f' }, { topics: [{ name: 'kept', topicId: ZERO_UUID }], timeoutMs: 1000 }),
  encodeRequest(API_KEYS.DeleteRecords, 2, { correlationId: 33, clientId: 'f' }, { topics: [{ name: 'kept', partitions: [{ partitionIndex: 0, offset: 1n }] }], timeoutMs: 1000 }),
  encodeRequest(API_KEYS.InitProducerId, 4, { correlationId: 34, clientId: 'f' }, { transactionalId: 'fz-t', transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 }),
  encodeRequest(API_KEYS.AddPartitionsToTxn, 3, { correlationId: 35, clientId: 'f' }, { v3AndBelowTransactionalId: 'fz-t', v3AndBelowProducerId: 1n, v3AndBelowProducerEpoch: 0, v3AndBelowTopics: [{ name: 'kept', partitions: [0] }] }),
  encodeRequest(API_KEYS.AddOffsetsToTxn, 3, { correlationId: 36, clientId: 'f' }, { ...txn, groupId: 'fz-g' }),
  encodeRequest(API_KEYS.EndTxn, 3, { correlationId: 37, clientId: 'f' }, { ...txn, committed: true }),
  encodeRequest(API_KEYS.TxnOffsetCommit, 3, { correlationId: 38, clientId: 'f' }, { ...txn, groupId: 'fz-g', generationId: -1, memberId: '', groupInstanceId: null, topics: oneOffset }),
  encodeRequest(API_KEYS.AlterConfigs, 2, { correlationId: 39, clientId: 'f' }, { resources: [{ resourceType: 2, resourceName: 'kept', configs: [{ name: 'retention.ms', value: '1000' }] }], validateOnly: false }),
  encodeRequest(API_KEYS.IncrementalAlterConfigs, 1, { correlationId: 40, clientId: 'f' }, { resources: [{ resourceType: 2, resourceName: 'kept', configs: [{ name: 'retention.ms', configOperation: 0, value: '1000' }] }], validateOnly: false }),
  encodeRequest(API_KEYS.CreatePartitions, 3, { correlationId: 41, clientId: 'f' }, { topics: [{ name: 'kept', count: 4, assignments: null }], timeoutMs: 1000, validateOnly: false }),
  encodeRequest(API_KEYS.DeleteGroups, 2, { correlationId: 42, clientId: 'f' }, { groupsNames: ['fz-g'] }),
  encodeRequest(API_KEYS.OffsetDelete, 0, { correlationId: 43, clientId: 'f' }, { groupId: 'fz-g', topics: [{ name: 'kept', partitions: [{ partitionIndex: 0 }] }] }),
  encodeRequest(API_KEYS.OffsetCommit, 8, { correlationId: 44, clientId: 'f' }, { groupId: 'fz-g', generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null, topics: oneOffset }),
  encodeRequest(API_KEYS.JoinGroup, 9, { correlationId: 45, clientId: 'f' }, { groupId: 'fz-g', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.alloc(6) }], reason: null }),
  encodeRequest(API_KEYS.SyncGroup, 5, { correlationId: 46, clientId: 'f' }, { groupId: 'fz-g', generationId: 1, memberId: 'm', groupInstanceId: null, protocolType: 'consumer', protocolName: 'range', assignments: [] }),
  encodeRequest(API_KEYS.Heartbeat, 4, { correlationId: 47, clientId: 'f' }, { groupId: 'fz-g', generationId: 1, memberId: 'm', groupInstanceId: null }),
  encodeRequest(API_KEYS.LeaveGroup, 5, { correlationId: 48, clientId: 'f' }, { groupId: 'fz-g', members: [{ memberId: 'm', groupInstanceId: null, reason: null }] }),
  encodeRequest(API_KEYS.ConsumerGroupHeartbeat, 0, { correlationId: 49, clientId: 'f' }, { groupId: 'fz-g', memberId: '', memberEpoch: 0, instanceId: null, rackId: null, rebalanceTimeoutMs: 30_000, subscribedTopicNames: ['kept'], serverAssignor: null, topicPartitions: [] }),
];

/** A write frame cut short (by 1 to 8 bytes, never into its header) or with 1 to 8 bytes after it. */
const brokenWrite = fc
  .tuple(fc.constantFrom(...writeFrames), fc.boolean(), fc.uint8Array({ minLength: 1, maxLength: 8 }))
  .map(([frame, cut, bytes]) => {
    const payload = frame.subarray(4);
    return sized(cut ? payload.subarray(0, Math.max(payload.length - bytes.length, 12)) : Buffer.concat([payload, Buffer.from(bytes)]));
  });

function sized(payload: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

/** A frame with one byte changed, bytes cut, or bytes inserted after its kept prefix; its size prefix fixed up. */
const mutated = fc
  .tuple(fc.constantFrom(...readFrames), fc.nat(), fc.integer({ min: 0, max: 2 }), fc.uint8Array({ minLength: 1, maxLength: 8 }))
  .map(([{ frame, keep }, at, kind, bytes]) => {
    const head = frame.subarray(4, keep);
    const body = frame.subarray(keep);
    const i = at % body.length;
    const changed =
      kind === 0
        ? Buffer.concat([body.subarray(0, i), Buffer.from([body[i]! ^ (bytes[0]! || 1)]), body.subarray(i + 1)])
        : kind === 1
          ? Buffer.concat([body.subarray(0, i), body.subarray(i + bytes.length)])
          : Buffer.concat([body.subarray(0, i), Buffer.from(bytes), body.subarray(i)]);
    return sized(Buffer.concat([head, changed]));
  });

/** Random bytes in a well-sized frame. */
const randomFrame = fc.uint8Array({ minLength: 0, maxLength: 64 }).map((bytes) => sized(Buffer.from(bytes)));

const SENTINEL = 999;

async function stillServes(): Promise<void> {
  const c = await open();
  c.send(readFrames[0]!.frame);
  const [payload] = await c.waitFor(1);
  expect(decodeResponse(API_KEYS.ApiVersions, 3, payload!).body.errorCode).toBe(0);
  c.end();
}

describe('the gateway under hostile input', () => {
  it('bad frames close the connection or are answered, the server keeps serving, nothing changes', async () => {
    const before = await state();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(mutated, randomFrame), { minLength: 1, maxLength: 4 }), async (frames) => {
        const c = await open();
        c.send(...frames, encodeRequest(API_KEYS.ApiVersions, 3, { correlationId: SENTINEL }, {}));
        while (!c.closed && !c.responses.some((r) => r.readInt32BE(0) === SENTINEL)) await c.waitFor(c.responses.length + 1);
        if (!c.closed) expect(c.responses.length).toBeLessThanOrEqual(frames.length + 1);
        c.end();
      }),
      { numRuns: 150 },
    );
    await stillServes();
    expect(await state()).toEqual(before);
    expect(failures).toEqual([]);
  });

  it('every API that writes: a frame cut short or with bytes after it closes only its connection and changes nothing', async () => {
    for (const frame of writeFrames) expect(() => decodeRequest(frame.subarray(4))).not.toThrow();
    const before = await state();
    await fc.assert(
      fc.asyncProperty(brokenWrite, async (frame) => {
        const c = await open();
        c.send(frame);
        await c.waitClosed();
        expect(c.responses).toEqual([]);
      }),
      { numRuns: 150 },
    );
    await stillServes();
    expect(await state()).toEqual(before);
    expect(failures).toEqual([]);
  });

  it('a raw byte stream never crashes the server', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 128 }), async (bytes) => {
        const c = await open();
        c.send(Buffer.from(bytes));
        c.end();
        await c.waitClosed();
      }),
      { numRuns: 100 },
    );
    await stillServes();
  });

  it('a frame larger than the limit closes the connection before its bytes arrive', async () => {
    const c = await open();
    const size = Buffer.alloc(4);
    size.writeInt32BE(200 * 1024 * 1024);
    c.send(size);
    await c.waitClosed();
    await stillServes();
  });
});
