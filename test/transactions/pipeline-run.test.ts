/** ExactlyOncePipeline.run on the one consume loop: a transform that throws is retried, a fenced producer crashes the loop loudly. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExactlyOncePipeline } from '../../lib/client/consume-transform-produce.js';
import type { Consumer } from '../../lib/client/consumer/consumer.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { waitFor } from '../groups/wait-for.js';
import { committedOffsets, createGroup, createTopic, readAll } from './helpers.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

function pipeline(input: string, output: string, group: string, transactionalId: string, failOnce: Set<string>): { pipeline: ExactlyOncePipeline; consumer: Consumer } {
  const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest', 'retry.backoff.ms': 1, 'retry.backoff.max.ms': 10 });
  consumer.assign([{ topic: input, partition: 0 }]);
  const made = new ExactlyOncePipeline({
    kafkaless: t.kafkaless,
    consumer,
    producer: t.kafkaless.producer({ 'transactional.id': transactionalId, 'linger.ms': 0 }),
    groupId: group,
    pollTimeoutMs: 20,
    transform: (r) => {
      const value = r.value!.toString();
      if (failOnce.delete(value)) throw new Error(`not yet: ${value}`);
      return [{ topic: output, value: value.toUpperCase() }];
    },
  });
  return { pipeline: made, consumer };
}

describe('ExactlyOncePipeline.run', () => {
  it('retries a round whose transform threw, writing each output once, and crashes with consumer.crash once fenced', async () => {
    const input = await createTopic(t.kafkaless, 'loop-in');
    const output = await createTopic(t.kafkaless, 'loop-out');
    await createGroup(t.kafkaless, 'loop-group', input, 1);
    await t.kafkaless.producer({ 'linger.ms': 0 }).send({ topic: input, messages: ['a', 'b', 'c'].map((value) => ({ value })) });
    const { pipeline: first, consumer } = pipeline(input, output, 'loop-group', 'loop-tx', new Set(['b']));
    const crashes: unknown[] = [];
    const retries: unknown[] = [];
    consumer.on('consumer.crash', ({ payload }) => void crashes.push(payload.error));
    consumer.on('consumer.retry', ({ payload }) => void retries.push(payload.error));
    await first.run();
    await waitFor(async () => (await committedOffsets(t.kafkaless, 'loop-group', input)).get(0) === 3, 'the three inputs committed');
    expect(retries.map(String)).toEqual(['Error: not yet: b']);
    expect((await readAll(t.kafkaless, output)).map((r) => r.value)).toEqual(['A', 'B', 'C']);

    // A second instance with the same transactional.id fences the first: its next round fails for good.
    const { pipeline: second } = pipeline(input, output, 'loop-group', 'loop-tx', new Set());
    await second.start();
    await t.kafkaless.producer({ 'linger.ms': 0 }).send({ topic: input, messages: [{ value: 'd' }] });
    await waitFor(() => crashes.length === 1, 'the first instance to crash');
    expect(crashes[0]).toMatchObject({ code: 'ProducerFenced' });
    await expect(first.stop()).resolves.toBeUndefined();
    await second.processOnce();
    expect((await readAll(t.kafkaless, output)).map((r) => r.value)).toEqual(['A', 'B', 'C', 'D']);
  });
});
