/**
 * A fetch reads the index by several queries; a segment swap may land
 * between them. The batches served must still be contiguous (regression: the
 * proof saw a fetch jump from offset 10 to 64 when the swap replaced the
 * items after the first one it had read).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectEntries } from '../../lib/broker/fetch/read-batches.js';
import { BatchIndex } from '../../lib/storage/batch-index.js';
import { TopicStore } from '../../lib/storage/topic-store.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { maintain, produceBatch, readAll, testClock, type TestClock } from './helpers.js';

const TOPIC = 'swap-under-fetch';
let t: TestKafkaless;
let clock: TestClock;

beforeAll(async () => {
  clock = testClock();
  t = await createTestKafkaless({ now: clock.now });
  await t.kafkaless.admin().createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }] });
  for (let i = 0; i < 15; i++) await produceBatch(t.transport, TOPIC, 0, [{ key: null, value: valueOf(i), timestamp: clock.now() }]);
  // segment.bytes = the first ten batches: the swap rolls offsets 0–9 and leaves 10–14 as they are.
  const { topicId } = await new TopicStore(t.clients.dynamodb, t.tables.topics).require(TOPIC);
  const sizes = await new BatchIndex(t.clients.dynamodb, t.tables.batches).range(topicId, 0, -1, 10, 10);
  const segmentBytes = String(sizes.reduce((n, e) => n + e.sizeBytes, 0));
  await t.kafkaless.admin().alterConfigs({ topics: [{ topic: TOPIC, configEntries: [{ name: 'segment.bytes', value: segmentBytes }] }] });
});

const valueOf = (i: number): string => `v-${String(i).padStart(2, '0')}`;
afterAll(async () => t?.close());

describe('a fetch while the segment compactor swaps the items it is reading', () => {
  it('serves only contiguous batches and the next fetch continues through the segment', async () => {
    const { topicId } = await new TopicStore(t.clients.dynamodb, t.tables.topics).require(TOPIC);
    const index = new BatchIndex(t.clients.dynamodb, t.tables.batches);
    const range = index.range.bind(index);
    let swapped = 0;
    // The swap lands after the first item was read and before its followers are.
    index.range = async (...args) => {
      if (swapped++ === 0) expect((await maintain(t, clock, { topic: TOPIC, steps: ['segments'] })).totals.segmentsWritten).toBe(1);
      return range(...args);
    };
    const entries = await selectEntries(index, { topicId, partition: 0, offset: 5, highWatermark: 15, maxBytes: 1024 * 1024 });
    expect(swapped).toBeGreaterThan(0);
    expect(entries[0]).toMatchObject({ baseOffset: 5, lastOffset: 5 });
    entries.forEach((e, i) => i > 0 && expect(e.baseOffset).toBe(entries[i - 1]!.lastOffset + 1));
    const values = (await readAll(t.transport, TOPIC, 0, 0)).map((r) => r.value?.toString());
    expect(values).toEqual(Array.from({ length: 15 }, (_, i) => valueOf(i)));
  });
});
