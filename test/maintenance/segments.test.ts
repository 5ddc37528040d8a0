import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import {
  bucketKeys,
  countGets,
  fetchOnce,
  HOUR_MS,
  liveState,
  maintain,
  offsetForTime,
  produceBatch,
  readAll,
  recordsOf,
  scanTable,
  seeded,
  testClock,
  type TestClock,
} from './helpers.js';

const TOPIC = 'rolled';
const CALLS = 250;
const PER_CALL = 40;
const TOTAL = CALLS * PER_CALL;

let t: TestKafkaless;
let clock: TestClock;
let baseTimestamp: number;

const valueOf = (offset: number): string => `value-${offset}-${'x'.repeat(offset % 37)}`;
const timestampOf = (offset: number): number => baseTimestamp + Math.floor(offset / 10) * 1000;

beforeAll(async () => {
  clock = testClock();
  baseTimestamp = clock.now() - 2 * HOUR_MS;
  t = await createTestKafkaless({ now: clock.now });
  await t.kafkaless.admin().createTopics({
    topics: [{ topic: TOPIC, numPartitions: 2, configEntries: [{ name: 'segment.bytes', value: '100000' }, { name: 'segment.ms', value: '60000' }] }],
  });
  // Many small produce calls, two partitions at a time.
  for (let call = 0; call < CALLS; call++) {
    const base = call * PER_CALL;
    const values = Array.from({ length: PER_CALL }, (_, i) => ({ key: `k${base + i}`, value: valueOf(base + i), timestamp: timestampOf(base + i) }));
    await Promise.all([produceBatch(t.transport, TOPIC, 0, values), ...(call % 25 === 0 ? [produceBatch(t.transport, TOPIC, 1, values)] : [])]);
  }
}, 120_000);
afterAll(async () => t?.close());

describe('segment compaction', () => {
  it('rolls only full segments while the newest batches are younger than segment.ms', async () => {
    const report = await maintain(t, clock, { topic: TOPIC, partitions: [0], steps: ['segments'] });
    const [p0] = report.partitions;
    expect(p0!.segmentsWritten).toBeGreaterThan(0);
    const items = (await scanTable(t, t.tables.batches)).filter((i) => String(i.pk).endsWith('#0'));
    const ingest = items.filter((i) => String(i.objectKey).startsWith('ingest/'));
    expect(ingest.length).toBeGreaterThan(0);
    expect(ingest.reduce((n, i) => n + Number(i.sizeBytes), 0)).toBeLessThan(100_000);
  });

  it('rolls every batch once segment.ms has passed, and every offset still reads the same record', async () => {
    clock.advance(2 * 60_000);
    const report = await maintain(t, clock, { topic: TOPIC, steps: ['segments'] });
    expect(report.totals.segmentsWritten).toBeGreaterThan(0);
    const items = await scanTable(t, t.tables.batches);
    expect(items.every((i) => String(i.objectKey).startsWith('topics/'))).toBe(true);

    const records = await readAll(t.transport, TOPIC, 0);
    expect(records.map((r) => r.offset)).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
    for (const r of records) {
      expect(r.value!.toString()).toBe(valueOf(r.offset));
      expect(r.key!.toString()).toBe(`k${r.offset}`);
      expect(r.timestamp).toBe(timestampOf(r.offset));
    }
  });

  it('serves a fetch from any offset, starting with the batch that holds it', async () => {
    const random = seeded(7);
    for (let i = 0; i < 40; i++) {
      const offset = Math.floor(random() * TOTAL);
      const maxBytes = 1 + Math.floor(random() * 20_000);
      const { records } = await recordsOf(await fetchOnce(t.transport, TOPIC, 0, offset, maxBytes));
      const first = records.find((r) => r.offset >= offset)!;
      expect(first.offset).toBe(offset);
      expect(first.value!.toString()).toBe(valueOf(offset));
    }
  });

  it('answers offsetsForTimes from the time index', async () => {
    const gets = countGets(t.clients.s3);
    for (const offset of [0, 1, 9, 10, 555, 4_321, TOTAL - 1]) {
      const target = timestampOf(offset);
      const expected = Math.floor(offset / 10) * 10;
      expect(await offsetForTime(t.transport, TOPIC, 0, target)).toEqual({ offset: expected, timestamp: target });
      expect(await offsetForTime(t.transport, TOPIC, 0, target - 999)).toEqual({ offset: expected, timestamp: target });
    }
    expect((await offsetForTime(t.transport, TOPIC, 0, timestampOf(TOTAL) + 1)).offset).toBe(-1);
    expect(gets.keys.some((k) => k.endsWith('.timeindex'))).toBe(true);
  });

  it('leaves only the segment files once the grace period has passed', async () => {
    const before = await bucketKeys(t.clients.s3, t.bucket);
    expect(before.some((k) => k.startsWith('ingest/'))).toBe(true);
    const early = await maintain(t, clock, { steps: ['gc'] });
    expect(early.collector!.objectsDeleted).toBe(0);

    clock.advance(HOUR_MS + 1);
    const report = await maintain(t, clock, { steps: ['gc'] });
    expect(report.collector!.objectsDeleted).toBeGreaterThan(0);
    const keys = await bucketKeys(t.clients.s3, t.bucket);
    const { referenced, refs } = await liveState(t);
    expect(new Set(keys)).toEqual(referenced);
    const segments = keys.filter((k) => k.endsWith('.log'));
    expect(keys).toHaveLength(segments.length * 3);
    const registry = await scanTable(t, t.tables.objects);
    expect(new Map(registry.map((r) => [String(r.key), Number(r.refs)]))).toEqual(refs);
  });

  it('keeps the head byte count equal to the bytes its index items hold', async () => {
    const items = await scanTable(t, t.tables.batches);
    const heads = (await scanTable(t, t.tables.partitions)).filter((h) => h.highWatermark !== undefined);
    for (const head of heads) {
      const bytes = items.filter((i) => i.pk === head.pk).reduce((n, i) => n + Number(i.sizeBytes), 0);
      expect(Number(head.bytes)).toBe(bytes);
    }
  });
});
