import { PutObjectCommand } from '@aws-sdk/client-s3';
import { encodeTime } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrokerContext } from '../../lib/broker/context.js';
import { createMaintenanceDeps } from '../../lib/broker/maintenance/index.js';
import { InjectedFault, type FaultInjector } from '../../lib/faults.js';
import { segmentLogKey } from '../../lib/storage/segment-keys.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { bucketKeys, HOUR_MS, liveState, maintain, produceBatch, readAll, scanTable, TEST_OPTIONS, testClock, type TestClock } from './helpers.js';

let t: TestKafkaless;
let clock: TestClock;

const SEGMENTS = [
  { name: 'segment.bytes', value: '4000' },
  { name: 'segment.ms', value: '60000' },
];

async function fill(topic: string, partition: number, calls: number): Promise<void> {
  for (let c = 0; c < calls; c++) {
    await produceBatch(t.transport, topic, partition, Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `${topic}-${partition}-${c * 10 + i}`, timestamp: clock.now() })));
  }
}

async function topicIdOf(topic: string): Promise<string> {
  return (await t.kafkaless.admin().describeTopics({ topics: [topic] }))[0]!.topicId;
}

/** Everything the bucket holds is pointed at by an index item, and every registry count is exact. */
async function expectNoDanglingNorOrphans(): Promise<void> {
  const keys = await bucketKeys(t.clients.s3, t.bucket);
  const { referenced, refs } = await liveState(t);
  expect(new Set(keys)).toEqual(referenced);
  const registry = await scanTable(t, t.tables.objects);
  // Collected orphans leave tombstones (kept a day so a commit that late is refused): their objects are gone.
  const tombstones = registry.filter((r) => r.state === 'deleting' && r.expiresAt !== undefined);
  tombstones.forEach((r) => expect(keys).not.toContain(r.key));
  const counted = registry.filter((r) => !tombstones.includes(r));
  expect(new Map(counted.map((r) => [String(r.key), Number(r.refs)]))).toEqual(refs);
}

function depsAt(now: () => number, faults?: FaultInjector) {
  const ctx = createBrokerContext({ dynamodb: t.clients.dynamodb, s3: t.clients.s3, tables: t.tables, bucket: t.bucket, now, ...(faults ? { faults } : {}) });
  return createMaintenanceDeps(ctx, () => undefined, TEST_OPTIONS);
}

beforeAll(async () => {
  clock = testClock();
  t = await createTestKafkaless({ now: clock.now });
  await t.kafkaless.admin().createTopics({
    topics: [
      { topic: 'doomed', numPartitions: 2, configEntries: SEGMENTS },
      { topic: 'growing', numPartitions: 1, configEntries: SEGMENTS },
      { topic: 'kept', numPartitions: 1, configEntries: SEGMENTS },
    ],
  });
  await fill('doomed', 0, 20);
  await fill('doomed', 1, 5);
  await fill('kept', 0, 20);
  clock.advance(2 * 60_000);
  await maintain(t, clock, { steps: ['segments'] });
}, 120_000);
afterAll(async () => t?.close());

describe('the garbage collector', () => {
  it('deletes ingest objects no commit referenced, once the grace period has passed', async () => {
    const day = new Date(clock.now()).toISOString().slice(0, 10);
    const old = `ingest/ab/${day}/${encodeTime(clock.now() - 2 * HOUR_MS, 10)}0000000000000000`;
    const fresh = `ingest/ab/${day}/${encodeTime(clock.now(), 10)}0000000000000000`;
    for (const key of [old, fresh]) await t.clients.s3.send(new PutObjectCommand({ Bucket: t.bucket, Key: key, Body: Buffer.from('abandoned') }));
    const report = await maintain(t, clock, { steps: ['gc'] });
    expect(report.collector!.orphansDeleted).toBe(1);
    const keys = await bucketKeys(t.clients.s3, t.bucket);
    expect(keys).not.toContain(old);
    expect(keys).toContain(fresh);
  });

  it('collects the ingest object of a produce that died before its commit', async () => {
    const dying: FaultInjector = { at: async (point) => { if (point === 'produce.afterUpload') throw new InjectedFault(point); } };
    const crashed = t.another({ faults: dying });
    await expect(produceBatch(crashed.transport, 'kept', 0, [{ key: null, value: 'lost', timestamp: clock.now() }])).rejects.toThrow('Injected fault');
    expect((await bucketKeys(t.clients.s3, t.bucket)).length).toBeGreaterThan((await liveState(t)).referenced.size);
    clock.advance(HOUR_MS + 1);
    await maintain(t, clock, { steps: ['gc'] });
    await expectNoDanglingNorOrphans();
  });

  it('never deletes an object a reference was added to after the collector read its candidates', async () => {
    const deps = depsAt(clock.now);
    const key = segmentLogKey('00000000-0000-0000-0000-000000000000', 0, 0);
    expect(await deps.registry.reserve(key, 'writer', clock.now() - 2 * HOUR_MS)).toBe(true);
    const candidates = [];
    for await (const item of deps.registry.unreferenced()) candidates.push(item.key);
    expect(candidates).toContain(key);
    expect((await deps.items.commit([deps.registry.acquire(key, 1, 'writer')])).ok).toBe(true);
    expect(await deps.registry.markDeleting(key, clock.now() - HOUR_MS)).toBe(false);
    await maintain(t, clock, { steps: ['gc'] });
    expect((await deps.registry.get(key))?.refs).toBe(1);
    // No index item stands behind this synthetic reference: give it back so the collector may take the item.
    expect((await deps.items.commit([deps.registry.release(key, 1, clock.now())])).ok).toBe(true);
  });

  it('never lets a reference be added once the collector has marked the object', async () => {
    const deps = depsAt(clock.now);
    const key = segmentLogKey('00000000-0000-0000-0000-000000000000', 0, 100);
    expect(await deps.registry.reserve(key, 'writer', clock.now() - 2 * HOUR_MS)).toBe(true);
    expect(await deps.registry.markDeleting(key, clock.now() - HOUR_MS)).toBe(true);
    expect((await deps.items.commit([deps.registry.acquire(key, 1, 'writer')])).ok).toBe(false);
  });

  it('keeps every batch when the collector takes back a stalled compactor’s reservation', async () => {
    await fill('kept', 0, 10);
    clock.advance(2 * 60_000);
    const later = testClock(clock.now() + 2 * HOUR_MS);
    // While the compactor is between its upload and its swap, a collector whose clock is past the grace period runs.
    const stall: FaultInjector = {
      at: async (_point, detail) => {
        if (detail?.step === 'segments') await maintain(t, later, { steps: ['gc'] });
      },
    };
    const report = await maintain(t, clock, { topic: 'kept', steps: ['segments'] }, { faults: stall });
    expect(report.partitions[0]!.conflicts).toBeGreaterThan(0);
    const records = await readAll(t.transport, 'kept', 0);
    expect(records.map((r) => r.offset)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    clock.advance(HOUR_MS + 1);
    await maintain(t, clock, { steps: ['segments', 'gc'] });
    clock.advance(HOUR_MS + 1);
    await maintain(t, clock, { steps: ['gc'] });
    await expectNoDanglingNorOrphans();
    expect((await readAll(t.transport, 'kept', 0)).map((r) => r.value!.toString())).toEqual(records.map((r) => r.value!.toString()));
  });
});

describe('topic lifecycle', () => {
  it('removes a deleted topic’s data in the background', async () => {
    const id = await topicIdOf('doomed');
    await t.kafkaless.admin().deleteTopics({ topics: ['doomed'] });
    const report = await maintain(t, clock, { steps: ['gc'] });
    expect(report.collector!.topicsRemoved).toBe(1);
    expect((await scanTable(t, t.tables.batches)).filter((i) => String(i.pk).startsWith(id))).toEqual([]);
    expect((await scanTable(t, t.tables.partitions)).filter((i) => String(i.pk).includes(id))).toEqual([]);
    expect((await scanTable(t, t.tables.topics)).filter((i) => String(i.name).includes(id))).toEqual([]);

    clock.advance(HOUR_MS + 1);
    await maintain(t, clock, { steps: ['gc'] });
    expect((await bucketKeys(t.clients.s3, t.bucket)).filter((k) => k.includes(id))).toEqual([]);
    await expectNoDanglingNorOrphans();
  });

  it('starts a topic created again empty', async () => {
    await t.kafkaless.admin().createTopics({ topics: [{ topic: 'doomed', numPartitions: 1 }] });
    expect(await readAll(t.transport, 'doomed', 0)).toEqual([]);
    expect(await produceBatch(t.transport, 'doomed', 0, [{ key: null, value: 'again', timestamp: clock.now() }])).toBe(0);
  });

  it('maintains partitions added to a topic', async () => {
    await fill('growing', 0, 10);
    await t.kafkaless.admin().createPartitions({ topicPartitions: [{ topic: 'growing', count: 3 }] });
    clock.advance(10_000); // past the produce path's topic cache
    await fill('growing', 2, 10);
    clock.advance(2 * 60_000);
    const report = await maintain(t, clock, { topic: 'growing', steps: ['segments'] });
    expect(report.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    expect(report.partitions[2]!.segmentsWritten).toBeGreaterThan(0);
    expect((await readAll(t.transport, 'growing', 2)).map((r) => r.value!.toString())).toEqual(Array.from({ length: 100 }, (_, i) => `growing-2-${i}`));
  });
});
