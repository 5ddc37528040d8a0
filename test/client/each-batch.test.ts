/** kafkajs's run() options: eachBatch and its payload, eachBatchAutoResolve, partitionsConsumedConcurrently, pause/resume shapes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch } from '../../lib/client/consumer/records.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { createTopicWithRecords } from '../support/topic-with-records.js';
import { waitFor } from '../groups/wait-for.js';
import { committedOffsetsOf } from '../../lib/client/admin-groups.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

const topicWith = (topic: string, partitions: number, records: number) => createTopicWithRecords(t.kafkaless, topic, partitions, records);

describe('eachBatch', () => {
  it('hands a batch per partition with kafkajs offsets and lag, and commits only what was resolved when auto-resolve is off', async () => {
    await topicWith('batches', 1, 10);
    const consumer = t.kafkaless.consumer({ 'group.id': 'batches-group', 'auto.offset.reset': 'earliest', 'auto.commit.interval.ms': 0 });
    consumer.subscribe({ topic: 'batches' });
    const seen: { first: string | null; last: string; lag: string; lagLow: string; hw: string; size: number; running: boolean; stale: boolean }[] = [];
    let uncommitted: unknown;
    await consumer.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, isRunning, isStale, uncommittedOffsets, heartbeat }) => {
        const b: Batch = batch;
        seen.push({ first: b.firstOffset(), last: b.lastOffset(), lag: b.offsetLag(), lagLow: b.offsetLagLow(), hw: b.highWatermark, size: b.messages.length, running: isRunning(), stale: isStale() });
        await heartbeat();
        // Resolve up to offset 3 only: the rest is fetched again, never committed.
        for (const m of b.messages) if (Number(m.offset) <= 3) resolveOffset(m.offset);
        uncommitted ??= uncommittedOffsets();
      },
    });
    await waitFor(() => seen.length >= 3, 'the batch to come back');
    await consumer.disconnect();
    expect(seen[0]).toEqual({ first: '0', last: '9', lag: '0', lagLow: '9', hw: '10', size: 10, running: true, stale: false });
    expect(seen[1]).toMatchObject({ first: '4', last: '9' });
    expect(uncommitted).toEqual({ topics: [{ topic: 'batches', partitions: [{ partition: 0, offset: '4' }] }] });
    const committed = committedOffsetsOf(await t.kafkaless.admin().fetchOffsets({ groupId: 'batches-group' }));
    expect(committed.map((o) => o.offset)).toEqual([4]);
  });

  it('resolves a whole batch when its callback returns (the default), and retries a batch that threw from its last resolved offset', async () => {
    await topicWith('auto-batches', 2, 8);
    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest', 'retry.backoff.ms': 1 });
    consumer.assign([0, 1].map((partition) => ({ topic: 'auto-batches', partition })));
    const delivered: string[] = [];
    let thrown = false;
    await consumer.run({
      eachBatch: async ({ batch, resolveOffset }) => {
        for (const m of batch.messages) {
          if (batch.partition === 1 && m.offset === '2' && !thrown) {
            thrown = true;
            throw new Error('transient');
          }
          delivered.push(`${batch.partition}:${m.offset}`);
          resolveOffset(m.offset);
        }
      },
    });
    await waitFor(() => delivered.length >= 8, 'all eight records');
    await consumer.stop();
    expect(delivered.sort()).toEqual(['0:0', '0:1', '0:2', '0:3', '1:0', '1:1', '1:2', '1:3']);
  });

  it('pauses the batch partition from inside and fetches what was not resolved after resume', async () => {
    await topicWith('paused-batch', 1, 6);
    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    consumer.assign([{ topic: 'paused-batch', partition: 0 }]);
    const delivered: string[] = [];
    let resume: (() => void) | undefined;
    await consumer.run({
      eachBatch: async ({ batch, resolveOffset, pause }) => {
        for (const m of batch.messages) {
          if (m.offset === '3' && resume === undefined) {
            resume = pause();
            return;
          }
          delivered.push(m.offset);
          resolveOffset(m.offset);
        }
      },
    });
    await waitFor(() => resume !== undefined, 'the pause');
    expect(consumer.paused()).toEqual([{ topic: 'paused-batch', partitions: [0] }]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(delivered).toEqual(['0', '1', '2']);
    resume!();
    await waitFor(() => delivered.length === 6, 'the rest after resume');
    await consumer.stop();
    expect(delivered).toEqual(['0', '1', '2', '3', '4', '5']);
  });
});

describe('run() options and pause shapes', () => {
  it('consumes partitions concurrently with partitionsConsumedConcurrently, keeping order within each', async () => {
    await topicWith('concurrent', 3, 30);
    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    consumer.assign([0, 1, 2].map((partition) => ({ topic: 'concurrent', partition })));
    const order = new Map<number, number[]>();
    let inFlight = 0;
    let most = 0;
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      eachMessage: async ({ partition, message }) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.set(partition, [...(order.get(partition) ?? []), Number(message.offset)]);
        inFlight--;
      },
    });
    await waitFor(() => [...order.values()].reduce((n, o) => n + o.length, 0) === 30, 'all 30 records');
    await consumer.stop();
    expect(most).toBeGreaterThan(1);
    for (const p of [0, 1, 2]) expect(order.get(p)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    await expect(consumer.run({ eachMessage: async () => undefined, partitionsConsumedConcurrently: 0 })).rejects.toMatchObject({ code: 'InvalidConfig' });
  });

  it("pauses and resumes with kafkajs's { topic, partitions? } shape as well as { topic, partition }", async () => {
    await topicWith('pausable', 2, 4);
    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    consumer.assign([0, 1].map((partition) => ({ topic: 'pausable', partition })));
    consumer.pause([{ topic: 'pausable' }]);
    expect(await consumer.poll({ timeoutMs: 50 })).toEqual([]);
    consumer.resume([{ topic: 'pausable', partitions: [1] }]);
    expect((await consumer.poll({ timeoutMs: 200 })).map((r) => r.partition)).toEqual([1, 1]);
    consumer.resume([{ topic: 'pausable', partition: 0 }]);
    consumer.pause([{ topic: 'pausable', partition: 1 }]);
    expect((await consumer.poll({ timeoutMs: 200 })).map((r) => r.partition)).toEqual([0, 0]);
    expect(consumer.pausedPartitions()).toEqual([{ topic: 'pausable', partition: 1 }]);
  });

  it('rejects an isolation.level it does not know; both known levels read the same records', async () => {
    expect(() => t.kafkaless.consumer({ 'isolation.level': 'read_dirty' as never })).toThrow(/isolation.level: use read_committed or read_uncommitted/);
    await topicWith('isolated', 1, 3);
    for (const level of ['read_committed', 'read_uncommitted'] as const) {
      const consumer = t.kafkaless.consumer({ 'isolation.level': level, 'auto.offset.reset': 'earliest' });
      expect(consumer.config.isolationLevel).toBe(level);
      consumer.assign([{ topic: 'isolated', partition: 0 }]);
      expect((await consumer.poll({ timeoutMs: 200 })).map((r) => r.offset)).toEqual([0, 1, 2]);
    }
  });
});
