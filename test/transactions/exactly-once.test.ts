import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultPoint } from '../../lib/faults.js';
import { ExactlyOncePipeline } from '../../lib/client/consume-transform-produce.js';
import type { Kafkaless } from '../../lib/client/kafkaless.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { crashingClient, type CrashableTransport } from './crash.js';
import { committedOffsets, createGroup, createTopic, highWatermarks, readAll, stagedItems, strayCommitState } from './helpers.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

interface Topology {
  readonly inputPartitions: number;
  readonly outputPartitions: number;
  readonly records: number;
  readonly maxPollRecords: number;
}

/** Output spread over few partitions: each commit fits one DynamoDB transaction. */
const SMALL: Topology = { inputPartitions: 3, outputPartitions: 2, records: 30, maxPollRecords: 7 };
/** A round of 50 inputs lands in 50 output partitions: each commit takes the multi-step path. */
const LARGE: Topology = { inputPartitions: 1, outputPartitions: 50, records: 100, maxPollRecords: 50 };

async function setUp(name: string, shape: Topology): Promise<{ input: string; output: string; group: string }> {
  const input = await createTopic(t.kafkaless, `${name}-in`, shape.inputPartitions);
  const output = await createTopic(t.kafkaless, `${name}-out`, shape.outputPartitions);
  const group = `${name}-group`;
  const producer = t.kafkaless.producer({ 'linger.ms': 0 });
  await producer.send({ topic: input, messages: Array.from({ length: shape.records }, (_, i) => ({ value: `v${i}`, partition: i % shape.inputPartitions })) });
  await createGroup(t.kafkaless, group, input, shape.inputPartitions);
  return { input, output, group };
}

function pipelineOn(kafkaless: Kafkaless, shape: Topology, topics: { input: string; output: string; group: string }, transactionalId: string): ExactlyOncePipeline {
  const consumer = kafkaless.consumer({ 'max.poll.records': shape.maxPollRecords, 'auto.offset.reset': 'earliest' });
  consumer.assign(Array.from({ length: shape.inputPartitions }, (_, partition) => ({ topic: topics.input, partition })));
  const producer = kafkaless.producer({ 'transactional.id': transactionalId, 'linger.ms': 0, 'retry.backoff.ms': 5, 'retry.backoff.max.ms': 20 });
  return new ExactlyOncePipeline({
    kafkaless,
    consumer,
    producer,
    groupId: topics.group,
    pollTimeoutMs: 20,
    transform: (r) => {
      const value = r.value!.toString();
      return [{ topic: topics.output, value: `out-${value}`, partition: Number(value.slice(1)) % shape.outputPartitions }];
    },
  });
}

async function allConsumed(topics: { input: string; group: string }): Promise<boolean> {
  const hws = await highWatermarks(t.kafkaless, topics.input);
  const committed = await committedOffsets(t.kafkaless, topics.group, topics.input);
  return hws.every((hw, p) => committed.get(p) === hw);
}

/** Runs instances one after another (same transactional.id and group) until the input is consumed; the first crashes at `point`. */
async function runWithCrash(name: string, shape: Topology, point: FaultPoint, nth: number): Promise<void> {
  const topics = await setUp(name, shape);
  let first: CrashableTransport | undefined;
  for (let instance = 0; !(await allConsumed(topics)); instance++) {
    expect(instance).toBeLessThan(4);
    const client = instance === 0 ? crashingClient(t, point, nth) : { kafkaless: t.another(), transport: undefined };
    first ??= client.transport;
    const pipeline = pipelineOn(client.kafkaless, shape, topics, `${name}-tx`);
    try {
      for (let round = 0; round < 50 && (await pipeline.processOnce()) > 0; round++);
    } catch (err) {
      if (client.transport?.dead !== true) throw err;
    }
  }
  expect(first?.dead).toBe(true);
  const output = (await readAll(t.kafkaless, topics.output)).map((r) => r.value).sort();
  expect(output).toEqual(Array.from({ length: shape.records }, (_, i) => `out-v${i}`).sort());
  expect(await strayCommitState(t)).toEqual({ locked: 0, aboveHighWatermark: 0 });
  expect((await stagedItems(t)).filter((s) => String(s.pk).startsWith(`txn#${name}-tx`))).toEqual([]);
}

describe('consume-transform-produce under a crash, then a new instance with the same transactional.id', () => {
  const cases: [string, Topology, FaultPoint, number][] = [
    ['after-upload', SMALL, 'produce.afterUpload', 2],
    ['after-stage', SMALL, 'txn.afterStage', 3],
    ['after-commit', SMALL, 'txn.afterCommit', 2],
    ['after-prepare', LARGE, 'txn.afterPrepare', 2],
    ['mid-commit', LARGE, 'txn.midCommit', 1],
  ];
  for (const [name, shape, point, nth] of cases) {
    it(`writes each transformed input exactly once when the first instance dies at ${point}`, async () => {
      await runWithCrash(name, shape, point, nth);
    });
  }
});

describe('consume-transform-produce with a group consumer', () => {
  it('processes a topic exactly once, committing the member-checked offsets with the output', async () => {
    const shape = SMALL;
    const input = await createTopic(t.kafkaless, 'grouped-in', shape.inputPartitions);
    const output = await createTopic(t.kafkaless, 'grouped-out', 1);
    await t.kafkaless.producer({ 'linger.ms': 0 }).send({ topic: input, messages: Array.from({ length: 12 }, (_, i) => ({ value: `g${i}`, partition: i % 3 })) });
    const consumer = t.kafkaless.consumer({ 'group.id': 'grouped', 'enable.auto.commit': false, 'max.poll.records': 5 });
    consumer.subscribe({ topic: input, fromBeginning: true });
    const producer = t.kafkaless.producer({ 'transactional.id': 'grouped-tx', 'linger.ms': 0 });
    const pipeline = new ExactlyOncePipeline({ kafkaless: t.kafkaless, consumer, producer, pollTimeoutMs: 50, transform: (r) => [{ topic: output, value: r.value }] });
    for (let round = 0; round < 60 && !(await allConsumed({ input, group: 'grouped' })); round++) await pipeline.processOnce();
    await consumer.disconnect();
    expect((await readAll(t.kafkaless, output)).map((r) => r.value).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `g${i}`).sort());
  });
});
