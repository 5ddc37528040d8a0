import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkalessError } from '../../lib/errors.js';
import { call } from '../../lib/client/transport.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { bucketKeys, fetchOnce, HOUR_MS, liveState, maintain, produceBatch, readAll, scanTable, testClock, type TestClock } from './helpers.js';

let t: TestKafkaless;
let clock: TestClock;

const SEGMENT_CONFIG = [
  { name: 'segment.bytes', value: '20000' },
  { name: 'segment.ms', value: '60000' },
];

const valueOf = (topic: string, offset: number): string => `${topic}-${offset}-${'y'.repeat(40)}`;

async function fill(topic: string, calls: number, timestamp: (call: number) => number): Promise<void> {
  for (let c = 0; c < calls; c++) {
    const base = c * 20;
    await produceBatch(t.transport, topic, 0, Array.from({ length: 20 }, (_, i) => ({ key: `k${base + i}`, value: valueOf(topic, base + i), timestamp: timestamp(c) })));
  }
}

interface Unit {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  readonly sizeBytes: number;
}

/** The partition's index items, grouped per segment object. */
async function segmentUnits(topicId: string): Promise<Unit[]> {
  const items = (await scanTable(t, t.tables.batches)).filter((i) => String(i.pk) === `${topicId}#0`).sort((a, b) => Number(a.baseOffset) - Number(b.baseOffset));
  const units: Unit[] = [];
  let key = '';
  for (const i of items) {
    const last = units[units.length - 1];
    if (last !== undefined && String(i.objectKey) === key) {
      units[units.length - 1] = { ...last, lastOffset: Number(i.lastOffset), maxTimestamp: Math.max(last.maxTimestamp, Number(i.maxTimestamp)), sizeBytes: last.sizeBytes + Number(i.sizeBytes) };
    } else {
      units.push({ baseOffset: Number(i.baseOffset), lastOffset: Number(i.lastOffset), maxTimestamp: Number(i.maxTimestamp), sizeBytes: Number(i.sizeBytes) });
    }
    key = String(i.objectKey);
  }
  return units;
}

async function topicId(topic: string): Promise<string> {
  return (await t.kafkaless.admin().describeTopics({ topics: [topic] }))[0]!.topicId;
}

async function logStart(topic: string): Promise<number> {
  return (await t.kafkaless.admin().describeTopics({ topics: [topic] }))[0]!.partitions[0]!.logStartOffset;
}

beforeAll(async () => {
  clock = testClock();
  t = await createTestKafkaless({ now: clock.now });
  await t.kafkaless.admin().createTopics({
    topics: [
      { topic: 'expiring', configEntries: [...SEGMENT_CONFIG, { name: 'retention.ms', value: String(HOUR_MS) }] },
      { topic: 'sized', configEntries: [...SEGMENT_CONFIG, { name: 'retention.bytes', value: '30000' }, { name: 'retention.ms', value: '-1' }] },
      { topic: 'trimmed', numPartitions: 2, configEntries: SEGMENT_CONFIG },
    ],
  });
  const start = clock.now();
  await fill('expiring', 60, (c) => (c < 30 ? start - 3 * HOUR_MS : start));
  await fill('sized', 40, () => start);
  await fill('trimmed', 10, () => start);
  clock.advance(2 * 60_000);
  await maintain(t, clock, { steps: ['segments'] });
}, 120_000);
afterAll(async () => t?.close());

describe('retention by time', () => {
  it('moves the log start offset past whole expired segments only', async () => {
    const id = await topicId('expiring');
    const units = await segmentUnits(id);
    let cut = 0;
    while (cut < units.length && clock.now() - units[cut]!.maxTimestamp > HOUR_MS) cut++;
    expect(cut).toBeGreaterThan(0);
    expect(cut).toBeLessThan(units.length);
    const expected = units[cut - 1]!.lastOffset + 1;

    const report = await maintain(t, clock, { topic: 'expiring', steps: ['retention'] });
    expect(report.partitions[0]!.offsetsExpired).toBe(expected);
    expect(report.totals.recordsRemoved).toBe(expected);
    expect(await logStart('expiring')).toBe(expected);
    expect(expected).toBeLessThanOrEqual(600);
    expect((await segmentUnits(id)).map((u) => u.baseOffset)).toEqual(units.slice(cut).map((u) => u.baseOffset));
  });

  it('answers OffsetOutOfRange for offsets before the log start, and leaves newer data untouched', async () => {
    const lso = await logStart('expiring');
    for (const offset of [0, lso - 1]) {
      const fetched = await fetchOnce(t.transport, 'expiring', 0, offset);
      expect(fetched.error?.code).toBe('OffsetOutOfRange');
    }
    const records = await readAll(t.transport, 'expiring', 0, lso);
    expect(records.map((r) => r.offset)).toEqual(Array.from({ length: 1200 - lso }, (_, i) => lso + i));
    for (const r of records) expect(r.value!.toString()).toBe(valueOf('expiring', r.offset));
  });

  it('reclaims the storage of removed segments after the grace period', async () => {
    clock.advance(HOUR_MS + 1);
    const before = await bucketKeys(t.clients.s3, t.bucket);
    const report = await maintain(t, clock, { steps: ['gc'] });
    expect(report.collector!.objectsDeleted).toBeGreaterThan(0);
    const after = await bucketKeys(t.clients.s3, t.bucket);
    expect(after.length).toBeLessThan(before.length);
    expect(new Set(after)).toEqual((await liveState(t)).referenced);
  });
});

describe('retention by size', () => {
  it('keeps the newest data within retention.bytes', async () => {
    const id = await topicId('sized');
    const before = await segmentUnits(id);
    const total = before.reduce((n, u) => n + u.sizeBytes, 0);
    expect(total).toBeGreaterThan(30_000);
    await maintain(t, clock, { topic: 'sized', steps: ['retention'] });
    const after = await segmentUnits(id);
    expect(after.reduce((n, u) => n + u.sizeBytes, 0)).toBeLessThanOrEqual(30_000);
    expect(after.length).toBeGreaterThan(0);
    expect(after[after.length - 1]).toEqual(before[before.length - 1]);
    expect(await logStart('sized')).toBe(after[0]!.baseOffset);
  });
});

describe('deleteRecords', () => {
  it('moves the log start offset to the asked offset, and retention then drops the items below it', async () => {
    const [result] = await t.kafkaless.admin().deleteRecords({ topic: 'trimmed', partitions: [{ partition: 0, offset: 55 }] });
    expect(result).toEqual({ topic: 'trimmed', partition: 0, lowWatermark: 55 });
    expect((await fetchOnce(t.transport, 'trimmed', 0, 54)).error?.code).toBe('OffsetOutOfRange');
    const records = await readAll(t.transport, 'trimmed', 0, 55);
    expect(records[0]!.offset).toBe(55);
    expect(records).toHaveLength(200 - 55);

    await maintain(t, clock, { topic: 'trimmed', steps: ['retention'] });
    const id = await topicId('trimmed');
    const units = await segmentUnits(id);
    expect(units[0]!.baseOffset).toBeLessThanOrEqual(55);
    expect(units[0]!.lastOffset).toBeGreaterThanOrEqual(55);
  });

  it('leaves a log start offset already past the asked one where it is', async () => {
    const [result] = await t.kafkaless.admin().deleteRecords({ topic: 'trimmed', partitions: [{ partition: 0, offset: 10 }] });
    expect(result!.lowWatermark).toBe(55);
  });

  it('deletes everything with -1 (the high watermark)', async () => {
    await produceBatch(t.transport, 'trimmed', 1, Array.from({ length: 5 }, (_, i) => ({ key: null, value: `v${i}`, timestamp: clock.now() })));
    const [result] = await t.kafkaless.admin().deleteRecords({ topic: 'trimmed', partitions: [{ partition: 1, offset: -1 }] });
    expect(result!.lowWatermark).toBe(5);
    const fetched = await fetchOnce(t.transport, 'trimmed', 1, 5);
    expect(fetched.records).toBe('');
    expect(fetched.logStartOffset).toBe(5);
  });

  it.each([
    ['an unknown topic', { topic: 'nope', partition: 0, offset: 1 }, 'UnknownTopicOrPartition'],
    ['an unknown partition', { topic: 'trimmed', partition: 7, offset: 1 }, 'UnknownTopicOrPartition'],
    ['a negative offset', { topic: 'trimmed', partition: 0, offset: -5 }, 'OffsetOutOfRange'],
    ['an offset past the high watermark', { topic: 'trimmed', partition: 0, offset: 201 }, 'OffsetOutOfRange'],
  ])('refuses %s with a typed error and changes nothing', async (_what, bad, code) => {
    const heads = await scanTable(t, t.tables.partitions);
    const request = { action: 'deleteRecords', partitions: [{ topic: 'sized', partition: 0, offset: 790 }, bad] };
    const error = await call(t.transport, 'admin', request).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(KafkalessError);
    expect((error as KafkalessError).code).toBe(code);
    expect(await scanTable(t, t.tables.partitions)).toEqual(heads);
  });
});

describe('maintenance requests', () => {
  it('refuses an unknown topic with a typed error', async () => {
    const error = await call(t.transport, 'maintenance', { action: 'run', topic: 'nope' }).catch((err: unknown) => err);
    expect((error as KafkalessError).code).toBe('UnknownTopicOrPartition');
  });

  it('refuses an unknown step or partition with a typed error', async () => {
    const badStep = await call(t.transport, 'maintenance', { action: 'run', steps: ['sweep'] }).catch((err: unknown) => err);
    expect((badStep as KafkalessError).code).toBe('InvalidRequest');
    const badPartition = await call(t.transport, 'maintenance', { action: 'run', topic: 'trimmed', partitions: [5] }).catch((err: unknown) => err);
    expect((badPartition as KafkalessError).code).toBe('UnknownTopicOrPartition');
  });

  it('runs on EventBridge’s scheduled event', async () => {
    const reply = await call<{ partitions: unknown[] }>(t.transport, 'maintenance', { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} });
    expect(reply.partitions.length).toBe(4);
  });
});
