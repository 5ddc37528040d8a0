/**
 * Hostile input to the server: random bytes, and valid read-only requests
 * with bytes flipped, cut or inserted. The server never crashes, a bad frame
 * closes its connection or gets a protocol answer, and nothing changes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, decodeResponse, encodeRequest } from '../../lib/wire/index.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { WireClient } from '../support/wire-client.js';

let t: TestGateway;
/** Connections closed for anything but a bad frame: a gateway bug. */
const failures: unknown[] = [];
const open = () => WireClient.open(t.gateway.host, t.gateway.port);

async function state() {
  const admin = t.native.kafkaless.admin();
  const described = await admin.describeTopics();
  return described.map((d) => [d.topic, d.topicId, d.partitions.map((p) => [p.partition, p.highWatermark, p.logStartOffset])]).sort();
}

beforeAll(async () => {
  t = await createTestGateway({ log: (level, _message, fields) => (level === 'error' ? failures.push(fields) : undefined) });
  await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'kept', numPartitions: 2 }] });
  const producer = t.native.kafkaless.producer({ 'linger.ms': 0 });
  await producer.send({ topic: 'kept', messages: [{ value: 'a', partition: 0 }, { value: 'b', partition: 1 }] });
  await producer.disconnect();
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
];

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
