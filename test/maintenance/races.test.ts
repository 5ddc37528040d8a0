/**
 * Produce, fetch, two segment rollers, retention and the collector, all
 * at once on one partition and without leases (so only the conditions keep
 * them apart), with crashes injected mid-step; interleavings drawn from a
 * seed. Time is a shared simulated clock that every worker moves a little
 * per step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrokerContext } from '../../lib/broker/context.js';
import { CollectorTally, deleteOrphanIngest, deleteUnreferenced } from '../../lib/broker/maintenance/garbage-collector.js';
import { createMaintenanceDeps, type MaintenanceDeps } from '../../lib/broker/maintenance/index.js';
import { applyRetention } from '../../lib/broker/maintenance/retention.js';
import { rollSegments } from '../../lib/broker/maintenance/segment-roller.js';
import { PartitionTally, type PartitionWork } from '../../lib/broker/maintenance/tally.js';
import { InjectedFault, type FaultInjector } from '../../lib/faults.js';
import { resolveTopicConfig } from '../../lib/protocol/topic-config.js';
import { TopicStore } from '../../lib/storage/topic-store.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { bucketKeys, fetchOnce, liveState, maintain, produceBatch, readAll, recordsOf, scanTable, seeded, testClock, type TestClock } from './helpers.js';

const STEP_MS = 20;
const GRACE_MS = 1_500;
const RETENTION_MS = 1_000;

let t: TestKafkaless;
let clock: TestClock;

beforeAll(async () => {
  clock = testClock();
  t = await createTestKafkaless({ now: clock.now });
});
afterAll(async () => t?.close());

function maintenanceDeps(random: () => number, faultRate: number): MaintenanceDeps {
  const faults: FaultInjector = {
    at: async (point) => {
      if (random() < faultRate) throw new InjectedFault(point);
    },
  };
  const ctx = createBrokerContext({ dynamodb: t.clients.dynamodb, s3: t.clients.s3, tables: t.tables, bucket: t.bucket, now: clock.now, random, faults });
  return createMaintenanceDeps(ctx, () => undefined, { gracePeriodMs: GRACE_MS });
}

const pause = (random: () => number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 3)));

/**
 * Runs `step` at least `times` times and then while `more()` holds, moving
 * the clock each time; injected crashes are expected, anything else is not.
 */
async function worker(times: number, random: () => number, step: () => Promise<void>, more: () => boolean = () => false): Promise<void> {
  for (let i = 0; i < 300 && (i < times || more()); i++) {
    clock.advance(STEP_MS);
    try {
      await step();
    } catch (err) {
      if (!(err instanceof InjectedFault)) throw err;
    }
    await pause(random);
  }
}

async function race(seed: number): Promise<void> {
  const random = seeded(seed);
  const topic = `race-${seed}`;
  await t.kafkaless.admin().createTopics({
    topics: [
      {
        topic,
        configEntries: [
          { name: 'segment.bytes', value: '3000' },
          { name: 'segment.ms', value: '200' },
          { name: 'retention.ms', value: String(RETENTION_MS) },
        ],
      },
    ],
  });
  const record = await new TopicStore(t.clients.dynamodb, t.tables.topics).require(topic);
  const tally = new PartitionTally(topic, 0);
  const work = (owner: string): PartitionWork => ({ topic: record, partition: 0, config: resolveTopicConfig(record.configs), owner, tally });
  const acked = new Map<number, { value: string; timestamp: number }>();
  const outOfRange: number[] = [];
  let view = { logStartOffset: 0, highWatermark: 0 };

  const produce = async (): Promise<void> => {
    const timestamp = clock.now();
    const values = Array.from({ length: 5 }, (_, i) => ({ key: null, value: `${seed}-${timestamp}-${i}`, timestamp }));
    const base = await produceBatch(t.transport, topic, 0, values);
    values.forEach((v, i) => acked.set(base + i, { value: v.value, timestamp }));
  };
  const fetch = async (): Promise<void> => {
    const span = Math.max(1, view.highWatermark - view.logStartOffset);
    const offset = view.logStartOffset + Math.floor(random() * span);
    const fetched = await fetchOnce(t.transport, topic, 0, offset, 1 + Math.floor(random() * 4000));
    view = { logStartOffset: Math.max(0, fetched.logStartOffset), highWatermark: Math.max(0, fetched.highWatermark) };
    if (fetched.error?.code === 'OffsetOutOfRange') {
      outOfRange.push(offset);
      return;
    }
    const { records } = await recordsOf(fetched);
    for (const r of records) {
      const want = acked.get(r.offset);
      if (want !== undefined) expect(r.value!.toString()).toBe(want.value);
    }
  };
  const compactor = (owner: string) => {
    const deps = maintenanceDeps(seeded(seed * 31 + owner.length), 0.15);
    return async (): Promise<void> => {
      await rollSegments(deps, work(owner));
      if (random() < 0.5) await applyRetention(deps, work(owner));
    };
  };
  const gcDeps = maintenanceDeps(seeded(seed * 17), 0.15);
  const collected = new CollectorTally();
  const collect = async (): Promise<void> => {
    await deleteUnreferenced(gcDeps, collected);
    await deleteOrphanIngest(gcDeps, collected);
  };

  // Produce at least 30 batches, and on until every kind of maintenance has had its effect meanwhile.
  const exercised = (): boolean => tally.segmentsWritten > 0 && tally.offsetsExpired > 0 && collected.objectsDeleted > 0;
  let producing = true;
  const whileProducing = (): boolean => producing;
  await Promise.all([
    worker(30, seeded(seed + 1), produce, () => !exercised()).finally(() => (producing = false)),
    worker(1, seeded(seed + 2), fetch, whileProducing),
    worker(1, seeded(seed + 3), compactor('compactor-a'), whileProducing),
    worker(1, seeded(seed + 4), compactor('compactor-bb'), whileProducing),
    worker(1, seeded(seed + 5), collect, whileProducing),
  ]);
  // The race did race: segments were swapped in, retention moved the log start, the collector deleted objects.
  expect(tally.segmentsWritten).toBeGreaterThan(0);
  expect(tally.offsetsExpired).toBeGreaterThan(0);
  expect(collected.objectsDeleted).toBeGreaterThan(0);

  // Invariant 3: the index covers [logStartOffset, highWatermark) with no gap and no overlap.
  const head = (await t.kafkaless.admin().describeTopics({ topics: [topic] }))[0]!.partitions[0]!;
  const items = (await scanTable(t, t.tables.batches)).filter((i) => i.pk === `${record.topicId}#0`).sort((a, b) => Number(a.baseOffset) - Number(b.baseOffset));
  items.forEach((item, i) => {
    if (i > 0) expect(Number(item.baseOffset)).toBe(Number(items[i - 1]!.lastOffset) + 1);
  });
  if (head.highWatermark > head.logStartOffset) {
    expect(Number(items[0]!.baseOffset)).toBeLessThanOrEqual(head.logStartOffset);
    expect(Number(items[items.length - 1]!.lastOffset)).toBe(head.highWatermark - 1);
  }
  // No acknowledged record lost before its time.
  expect(head.highWatermark).toBe(acked.size);
  const now = clock.now();
  for (const [offset, { timestamp }] of acked) if (offset < head.logStartOffset) expect(timestamp).toBeLessThan(now - RETENTION_MS);
  const readable = await readAll(t.transport, topic, 0, head.logStartOffset);
  expect(readable.map((r) => r.offset)).toEqual(Array.from({ length: head.highWatermark - head.logStartOffset }, (_, i) => head.logStartOffset + i));
  for (const r of readable) expect(r.value!.toString()).toBe(acked.get(r.offset)!.value);
  for (const offset of outOfRange) expect(offset).toBeLessThan(head.logStartOffset);

  // No object orphaned once the grace period has passed since the last change.
  const options = { options: { gracePeriodMs: GRACE_MS } };
  clock.advance(GRACE_MS + 1);
  await maintain(t, clock, { topic, steps: ['segments', 'retention', 'gc'] }, options);
  clock.advance(GRACE_MS + 1);
  await maintain(t, clock, { steps: ['gc'] }, options);
  const { referenced, refs } = await liveState(t);
  expect(new Set(await bucketKeys(t.clients.s3, t.bucket))).toEqual(referenced);
  const registry = await scanTable(t, t.tables.objects);
  expect(new Map(registry.map((r) => [String(r.key), Number(r.refs)]))).toEqual(refs);
}

describe('maintenance racing produce and fetch', () => {
  it.each([1, 2, 3])('loses nothing, reads no missing object and leaves no orphan (seed %i)', async (seed) => {
    await race(seed);
  });
});
