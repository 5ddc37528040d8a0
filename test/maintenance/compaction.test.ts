import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { bucketKeys, fetchOnce, HOUR_MS, liveState, maintain, produceBatch, readAll, recordsOf, scanTable, testClock, type KeyedValue, type TestClock } from './helpers.js';

const KEYS = 1000;
const ROUNDS = 8;
const PER_CALL = 100;
const TOMBSTONED = 100;

let t: TestKafkaless;
let clock: TestClock;
/** Per key, the offset and value of its newest record (null value: a tombstone). */
const latest = new Map<string, { offset: number; value: string | null }>();
let nullKeyOffsets: number[] = [];

const COMPACT_CONFIG = [
  { name: 'cleanup.policy', value: 'compact' },
  { name: 'segment.bytes', value: '60000' },
  { name: 'segment.ms', value: '60000' },
  { name: 'delete.retention.ms', value: String(HOUR_MS) },
];

async function produceRounds(topic: string): Promise<void> {
  for (let round = 0; round < ROUNDS; round++) {
    for (let from = 0; from < KEYS; from += PER_CALL) {
      const values: KeyedValue[] = Array.from({ length: PER_CALL }, (_, i) => {
        const k = from + i;
        const tombstone = round === ROUNDS - 1 && k < TOMBSTONED;
        return { key: `key-${k}`, value: tombstone ? null : `v${round}-${k}`, timestamp: clock.now() };
      });
      const base = await produceBatch(t.transport, topic, 0, values);
      if (topic === 'table') values.forEach((v, i) => latest.set(v.key!, { offset: base + i, value: v.value }));
    }
  }
}

beforeAll(async () => {
  clock = testClock();
  t = await createTestKafkaless({ now: clock.now });
  // A keyless record from before the topic became compacted (a compacted topic refuses new ones, as Kafka's).
  await t.kafkaless.admin().createTopics({ topics: [{ topic: 'table' }] });
  nullKeyOffsets = [await produceBatch(t.transport, 'table', 0, [{ key: null, value: 'no key', timestamp: clock.now() }])];
  await t.kafkaless.admin().alterConfigs({ topics: [{ topic: 'table', configEntries: COMPACT_CONFIG }] });
  await t.kafkaless.admin().createTopics({
    topics: [
      { topic: 'lagging', configEntries: [...COMPACT_CONFIG, { name: 'min.compaction.lag.ms', value: String(24 * HOUR_MS) }] },
    ],
  });
  await produceRounds('table');
  await produceRounds('lagging');
  clock.advance(2 * 60_000);
  await maintain(t, clock, { steps: ['segments'] });
}, 120_000);
afterAll(async () => t?.close());

describe('log compaction', () => {
  it('keeps the newest record of every key at its original offset, and nothing older', async () => {
    const report = await maintain(t, clock, { topic: 'table', steps: ['compaction'] });
    const total = ROUNDS * KEYS + 1;
    expect(report.partitions[0]!.recordsCompacted).toBe(total - KEYS);
    expect(report.partitions[0]!.bytesReclaimed).toBeGreaterThan(0);

    const records = await readAll(t.transport, 'table', 0);
    expect(records).toHaveLength(KEYS);
    for (const r of records) {
      const want = latest.get(r.key!.toString())!;
      expect(r.offset).toBe(want.offset);
      expect(r.value === null ? null : r.value.toString()).toBe(want.value);
    }
    expect(records.some((r) => nullKeyOffsets.includes(r.offset))).toBe(false);
  });

  it('serves a fetch that lands in a gap with the next batch, so a reader always moves on', async () => {
    const gap = latest.get('key-0')!.offset - 1;
    for (const offset of [0, gap]) {
      const fetched = await recordsOf(await fetchOnce(t.transport, 'table', 0, offset, 1));
      expect(fetched.nextOffset).toBeGreaterThan(offset);
      for (const r of fetched.records) expect(r.offset).toBe(latest.get(r.key!.toString())!.offset);
    }
  });

  it('lets a consumer reading from the beginning see every key’s latest value', async () => {
    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    consumer.assign([{ topic: 'table', partition: 0 }]);
    const seen = new Map<string, string | null>();
    for (let i = 0; i < 200 && seen.size < KEYS; i++) {
      for (const r of await consumer.poll({ timeoutMs: 10 })) seen.set(r.key!.toString(), r.value === null ? null : r.value.toString());
    }
    expect(seen.size).toBe(KEYS);
    for (const [key, want] of latest) expect(seen.get(key)).toBe(want.value);
  });

  it('does nothing more when nothing new came and no tombstone is due', async () => {
    const report = await maintain(t, clock, { topic: 'table', steps: ['compaction'] });
    expect(report.partitions[0]!.recordsCompacted).toBe(0);
  });

  it('removes tombstones once delete.retention.ms has passed, keeping offsets', async () => {
    clock.advance(HOUR_MS + 1);
    const report = await maintain(t, clock, { topic: 'table', steps: ['compaction'] });
    expect(report.partitions[0]!.recordsCompacted).toBe(TOMBSTONED);
    const records = await readAll(t.transport, 'table', 0);
    expect(records).toHaveLength(KEYS - TOMBSTONED);
    for (const r of records) expect(r.offset).toBe(latest.get(r.key!.toString())!.offset);
    expect(records.every((r) => r.value !== null)).toBe(true);
  });

  it('leaves segments younger than min.compaction.lag.ms alone', async () => {
    const report = await maintain(t, clock, { topic: 'lagging', steps: ['compaction'] });
    expect(report.partitions[0]!.recordsCompacted).toBe(0);
    expect(await readAll(t.transport, 'lagging', 0)).toHaveLength(ROUNDS * KEYS);
  });

  it('frees the replaced segments after the grace period', async () => {
    clock.advance(HOUR_MS + 1);
    await maintain(t, clock, { steps: ['gc'] });
    const keys = await bucketKeys(t.clients.s3, t.bucket);
    const { referenced, refs } = await liveState(t);
    expect(new Set(keys)).toEqual(referenced);
    const registry = await scanTable(t, t.tables.objects);
    expect(new Map(registry.map((r) => [String(r.key), Number(r.refs)]))).toEqual(refs);
  });
});
