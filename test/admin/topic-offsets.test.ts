import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkalessError } from '../../lib/errors.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { HOUR_MS, maintain, produceBatch, scanTable, testClock, type TestClock } from '../maintenance/helpers.js';

const TOPIC = 'timed';
const BATCHES = 30;
const PER_BATCH = 10;

let t: TestKafkaless;
let clock: TestClock;
let base: number;
/** Record n of partition p has timestamp base + n * 1000 (partition 1 gets the even batches only). */
const timestampOf = (n: number): number => base + n * 1000;

beforeAll(async () => {
  clock = testClock();
  base = clock.now() - 2 * HOUR_MS;
  t = await createTestKafkaless({ now: clock.now });
  await t.kafkaless.admin().createTopics({
    topics: [{ topic: TOPIC, numPartitions: 3, configEntries: [{ name: 'segment.bytes', value: '2000' }, { name: 'segment.ms', value: '60000' }] }],
  });
  for (let b = 0; b < BATCHES; b++) {
    const values = Array.from({ length: PER_BATCH }, (_, i) => ({ key: `k${b * PER_BATCH + i}`, value: `v${b * PER_BATCH + i}`, timestamp: timestampOf(b * PER_BATCH + i) }));
    await produceBatch(t.transport, TOPIC, 0, values);
    if (b % 2 === 0) await produceBatch(t.transport, TOPIC, 1, values);
  }
}, 120_000);
afterAll(async () => t?.close());

/** What the answer must be per partition for a timestamp: the first offset at or after it, else the high watermark. */
function expected(timestamp: number): { partition: number; offset: string }[] {
  const p0 = BATCHES * PER_BATCH;
  const first0 = Array.from({ length: p0 }, (_, n) => n).find((n) => timestampOf(n) >= timestamp) ?? p0;
  const p1Records = Array.from({ length: BATCHES }, (_, b) => b).filter((b) => b % 2 === 0).flatMap((b) => Array.from({ length: PER_BATCH }, (_, i) => b * PER_BATCH + i));
  const first1 = p1Records.findIndex((n) => timestampOf(n) >= timestamp);
  return [
    { partition: 0, offset: String(first0) },
    { partition: 1, offset: String(first1 === -1 ? p1Records.length : first1) },
    { partition: 2, offset: '0' },
  ];
}

const probes = (): number[] => [base - 1, timestampOf(0), timestampOf(7) - 500, timestampOf(55), timestampOf(123), timestampOf(299), timestampOf(299) + 1];

describe('topic offsets', () => {
  it('fetchTopicOffsets answers high and low watermarks as kafkajs does', async () => {
    const admin = t.kafkaless.admin();
    await admin.deleteRecords({ topic: TOPIC, partitions: [{ partition: 1, offset: 20 }] });
    expect(await admin.fetchTopicOffsets(TOPIC)).toEqual([
      { partition: 0, offset: '300', high: '300', low: '0' },
      { partition: 1, offset: '150', high: '150', low: '20' },
      { partition: 2, offset: '0', high: '0', low: '0' },
    ]);
  });

  it('fetchTopicOffsetsByTimestamp finds offsets in ingest objects not yet rolled', async () => {
    const admin = t.kafkaless.admin();
    const items = await scanTable(t, t.tables.batches);
    expect(items.every((i) => String(i.objectKey).startsWith('ingest/'))).toBe(true);
    for (const ts of probes()) {
      const want = expected(ts).map((e) => (e.partition === 1 && Number(e.offset) < 20 ? { ...e, offset: '20' } : e));
      expect(await admin.fetchTopicOffsetsByTimestamp(TOPIC, ts)).toEqual(want);
    }
    expect(await admin.fetchTopicOffsetsByTimestamp(TOPIC)).toEqual([
      { partition: 0, offset: '300' },
      { partition: 1, offset: '150' },
      { partition: 2, offset: '0' },
    ]);
  });

  it('fetchTopicOffsetsByTimestamp gives the same answers through the time index once segments rolled', async () => {
    const admin = t.kafkaless.admin();
    const before = await Promise.all(probes().map((ts) => admin.fetchTopicOffsetsByTimestamp(TOPIC, ts)));
    clock.advance(2 * 60_000);
    const report = await maintain(t, clock, { topic: TOPIC, steps: ['segments'] });
    expect(report.partitions.reduce((n, p) => n + p.segmentsWritten, 0)).toBeGreaterThan(1);
    const items = await scanTable(t, t.tables.batches);
    for (const partition of [0, 1]) {
      const segments = items.filter((i) => String(i.pk).endsWith(`#${partition}`) && String(i.objectKey).endsWith('.log'));
      expect(segments.length).toBeGreaterThan(1);
    }
    const after = await Promise.all(probes().map((ts) => admin.fetchTopicOffsetsByTimestamp(TOPIC, ts)));
    expect(after).toEqual(before);
  });

  it('answers UnknownTopicOrPartition for a missing topic', async () => {
    const err = await t.kafkaless.admin().fetchTopicOffsets('no-such-topic').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkalessError);
    expect((err as KafkalessError).code).toBe('UnknownTopicOrPartition');
  });
});

describe('describeCluster', () => {
  it('answers one logical broker, its controller, and a cluster id stable per stack', async () => {
    const cluster = await t.kafkaless.admin().describeCluster();
    expect(cluster).toEqual({ brokers: [{ nodeId: 0, host: 'kafkaless', port: 0 }], controller: 0, clusterId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) });
    expect((await t.another().admin().describeCluster()).clusterId).toBe(cluster.clusterId);
    const other = await createTestKafkaless();
    try {
      expect((await other.kafkaless.admin().describeCluster()).clusterId).not.toBe(cluster.clusterId);
    } finally {
      await other.close();
    }
  });
});
