/**
 * A fetch reply never skips an offset (regressions found by the proof):
 * - the index is read by several queries and a segment swap may land
 *   between them (a fetch jumped from offset 10 to 64);
 * - a reply that starts inside a segment item and is cut short there by
 *   its byte limit must not go on with the items after the segment (a
 *   fetch jumped from 848 to 852).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectEntries } from '../../lib/broker/fetch/read-batches.js';
import { BatchIndex } from '../../lib/storage/batch-index.js';
import { TopicStore } from '../../lib/storage/topic-store.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { fetchOnce, maintain, produceBatch, readAll, recordsOf, testClock, type TestClock } from './helpers.js';

const TOPIC = 'swap-under-fetch';
let t: TestKafkaless;
let clock: TestClock;

/** Makes `topic` with `values` one batch each, and segment.bytes = the first `rolled` batches, so a segment run rolls exactly those. */
async function topicWith(topic: string, values: readonly string[], rolled: number): Promise<{ topicId: string; batchBytes: number[] }> {
  await t.kafkaless.admin().createTopics({ topics: [{ topic, numPartitions: 1 }] });
  for (const value of values) await produceBatch(t.transport, topic, 0, [{ key: null, value, timestamp: clock.now() }]);
  const { topicId } = await new TopicStore(t.clients.dynamodb, t.tables.topics).require(topic);
  const items = await new BatchIndex(t.clients.dynamodb, t.tables.batches).range(topicId, 0, -1, values.length, values.length);
  const segmentBytes = String(items.slice(0, rolled).reduce((n, e) => n + e.sizeBytes, 0));
  await t.kafkaless.admin().alterConfigs({ topics: [{ topic, configEntries: [{ name: 'segment.bytes', value: segmentBytes }] }] });
  return { topicId, batchBytes: items.map((e) => e.sizeBytes) };
}

beforeAll(async () => {
  clock = testClock();
  t = await createTestKafkaless({ now: clock.now });
});

const valueOf = (i: number): string => `v-${String(i).padStart(2, '0')}`;
afterAll(async () => t?.close());

describe('a fetch while the segment roller swaps the items it is reading', () => {
  it('serves only contiguous batches and the next fetch continues through the segment', async () => {
    // The swap rolls offsets 0–9 and leaves 10–14 as they are.
    const { topicId } = await topicWith(TOPIC, Array.from({ length: 15 }, (_, i) => valueOf(i)), 10);
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

describe('a fetch that starts inside a segment item and reaches its byte limit there', () => {
  it('stops at the limit rather than going on with the batch after the segment', async () => {
    const topic = 'cut-short-in-segment';
    // Small batches, then two big ones, in the segment; a small batch after it. The reply's size is planned from the
    // segment's average batch, so near its end the small batch after it seems to fit while the big ones do not.
    const big = (i: number) => `${valueOf(i)}-${'x'.repeat(300)}`;
    const values = [...Array.from({ length: 8 }, (_, i) => valueOf(i)), big(8), big(9), 'small'];
    const { batchBytes } = await topicWith(topic, values, 10);
    expect((await maintain(t, clock, { topic, steps: ['segments'] })).totals.segmentsWritten).toBe(1);
    const maxBytes = Math.floor(batchBytes[8]! * 1.5);
    let offset = 0;
    const seen: string[] = [];
    for (let i = 0; i < 20 && offset < values.length; i++) {
      const { records, nextOffset } = await recordsOf(await fetchOnce(t.transport, topic, 0, offset, maxBytes));
      records.forEach((r, j) => expect(Number(r.offset)).toBe(offset + j));
      seen.push(...records.map((r) => r.value!.toString()));
      offset = nextOffset ?? offset;
    }
    expect(seen).toEqual(values);
  });
});
