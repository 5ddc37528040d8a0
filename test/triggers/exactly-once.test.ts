/**
 * Exactly-once subscriptions under crash injection: a partition delivered
 * to a function written with exactlyOnceHandler, against DynamoDB Local and
 * the S3 server, while the function fails after sending, answers a partial
 * batch or malformed output, the trigger dies at each step of its
 * transaction, or a deliverer that lost its lease is still running. Then a
 * read_committed read of the output topic holds each input's output exactly
 * once (checkExactlyOnce) and the group's offset is at the end of the input.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkalessError } from '../../lib/errors.js';
import type { FaultPoint } from '../../lib/faults.js';
import type { Transport } from '../../lib/client/transport.js';
import type { SubscriptionSpec } from '../../lib/names.js';
import { LeaseStore } from '../../lib/storage/lease-store.js';
import { deliverPartition, exactlyOnceHandler, type DeliveryReport, type KafkaEvent, type SubscriptionAnswer, type TriggerDeps } from '../../lib/triggers/index.js';
import { committedOffset } from '../../lib/triggers/partition-log.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { crashingClient } from '../transactions/crash.js';
import { readAll } from '../transactions/helpers.js';
import { checkExactlyOnce } from './exactly-once-checker.js';
import { inProcessInvoker, type InProcessHandler } from './in-process-function.js';
import { subscriptionSpecFor } from '../support/subscription-spec.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

/** Past any lease a crashed deliverer left (its function timeout plus margins). */
const LATER_MS = 120_000;

interface Shape {
  readonly records: number;
  readonly batchSize: number;
  readonly outputPartitions: number;
}

/** Each commit fits one DynamoDB transaction. */
const SMALL: Shape = { records: 20, batchSize: 7, outputPartitions: 2 };
/** A batch's outputs land in 50 partitions: each commit takes the multi-step path. */
const LARGE: Shape = { records: 100, batchSize: 50, outputPartitions: 50 };

interface Setup {
  readonly input: string;
  readonly output: string;
  readonly dlt: string;
  readonly inputs: readonly string[];
  readonly spec: SubscriptionSpec;
}

async function setUp(shape: Shape, overrides: Partial<SubscriptionSpec> = {}): Promise<Setup> {
  const input = `eo-${randomUUID().slice(0, 8)}`;
  const output = `${input}-out`;
  const dlt = `${input}-dlt`;
  await t.kafkaless.admin().createTopics({ topics: [{ topic: input, numPartitions: 1 }, { topic: output, numPartitions: shape.outputPartitions }, { topic: dlt, numPartitions: 1 }] });
  const inputs = Array.from({ length: shape.records }, (_, i) => `v${i}`);
  const producer = t.kafkaless.producer({ 'linger.ms': 0 });
  await producer.send({ topic: input, messages: inputs.map((value) => ({ value, partition: 0 })) });
  await producer.disconnect();
  const spec = subscriptionSpecFor({
    name: `sub-${input}`,
    functionName: 'transform',
    topics: [input],
    groupId: `group-${input}`,
    batchSize: shape.batchSize,
    functionTimeoutMs: 1000,
    onFailureTopic: dlt,
    exactlyOnce: true,
    ...overrides,
  });
  return { input, output, dlt, inputs, spec };
}

/** What the function does besides its work, by input value: throw (after sending), answer this, or answer raw JSON past the helper. */
type Misbehaviour = { readonly throw: string } | { readonly answer: SubscriptionAnswer } | { readonly raw: unknown } | undefined;

const valuesOf = (event: KafkaEvent): string[] => Object.values(event.records).flatMap((rs) => rs.map((r) => Buffer.from(r.value ?? '', 'base64').toString()));

/** The function: one output record per input, `out-<value>`, spread over the output's partitions. */
function transform(setup: Setup, shape: Shape, misbehave: (value: string) => Misbehaviour = () => undefined): InProcessHandler {
  const handler = exactlyOnceHandler(async (event: KafkaEvent, { producer }) => {
    for (const r of Object.values(event.records).flat()) {
      const value = Buffer.from(r.value ?? '', 'base64').toString();
      await producer.send({ topic: setup.output, messages: [{ key: String(r.offset), value: `out-${value}`, partition: r.offset % shape.outputPartitions }] });
    }
    for (const value of valuesOf(event)) {
      const m = misbehave(value);
      if (m !== undefined && 'throw' in m) throw new Error(m.throw);
      if (m !== undefined && 'answer' in m) return m.answer;
    }
    return undefined;
  });
  return async (event) => {
    for (const value of valuesOf(event as KafkaEvent)) {
      const m = misbehave(value);
      if (m !== undefined && 'raw' in m) return m.raw;
    }
    return handler(event as KafkaEvent, {});
  };
}

function depsOn(broker: Transport, invoke: TriggerDeps['invoke'], clockOffsetMs = 0): TriggerDeps {
  return {
    broker,
    invoke,
    leases: new LeaseStore(t.clients.dynamodb, t.tables.partitions),
    source: { eventSource: 'aws:kafka', eventSourceArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/kafkaless/test', bootstrapServers: 'kafkaless' },
    owner: randomUUID(),
    now: () => Date.now() + clockOffsetMs,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 10))),
    random: Math.random,
    log: () => undefined,
  };
}

function deliver(deps: TriggerDeps, setup: Setup): Promise<DeliveryReport> {
  return deliverPartition(deps, setup.spec, { topic: setup.input, partition: 0 }, { deadlineMs: deps.now() + 600_000 });
}

async function expectExactlyOnce(setup: Setup): Promise<void> {
  const outputs = (await readAll(t.kafkaless, setup.output)).map((r) => r.value);
  expect(checkExactlyOnce(setup.inputs, outputs, (v) => `out-${v}`)).toEqual({ missing: [], duplicated: [], unexpected: [] });
  expect(await committedOffset(t.transport, setup.spec.groupId, { topic: setup.input, partition: 0 })).toBe(setup.inputs.length);
}

describe('an exactly-once subscription', () => {
  it('commits nothing of an invocation that failed after sending, of a partial answer, or of malformed output; each input is output once', async () => {
    const setup = await setUp(SMALL, { reportBatchItemFailures: true });
    // Each misbehaves the first time its record is delivered (the raw hook and the helper both look: counted once per invocation).
    const seen = new Map<string, number>();
    const nth = (value: string): number => {
      const n = seen.get(value) ?? 0;
      seen.set(value, n + 1);
      return n;
    };
    const handler = transform(setup, SMALL, (value) => {
      if (value !== 'v3' && value !== 'v9' && value !== 'v16') return undefined;
      const n = nth(value);
      if (value === 'v16') return n === 0 ? { raw: { output: [{ topic: setup.output, value: 42 }] } } : undefined;
      if (n > 1) return undefined;
      if (value === 'v3') return n === 1 ? { throw: 'failed after sending' } : undefined;
      return n === 1 ? { answer: { batchItemFailures: [{ itemIdentifier: `${setup.input}-0@9` }] } } : undefined;
    });
    const report = await deliver(depsOn(t.transport, inProcessInvoker(handler)), setup);
    expect(report).toMatchObject({ status: 'caught-up', deadLettered: 0 });
    await expectExactlyOnce(setup);
  });

  it('dead-letters a poison record in the same transaction as the offset, and outputs every other input once', async () => {
    const setup = await setUp(SMALL, { bisectBatchOnFunctionError: true, maximumRetryAttempts: 1 });
    const handler = transform(setup, SMALL, (value) => (value === 'v5' ? { throw: 'poison' } : undefined));
    expect(await deliver(depsOn(t.transport, inProcessInvoker(handler)), setup)).toMatchObject({ status: 'caught-up', deadLettered: 1 });
    const outputs = (await readAll(t.kafkaless, setup.output)).map((r) => r.value);
    expect(checkExactlyOnce(setup.inputs.filter((v) => v !== 'v5'), outputs, (v) => `out-${v}`)).toEqual({ missing: [], duplicated: [], unexpected: [] });
    expect((await readAll(t.kafkaless, setup.dlt)).map((r) => r.value)).toEqual(['v5']);
  });

  const crashes: [Shape, FaultPoint, number][] = [
    [SMALL, 'txn.afterStage', 3],
    [SMALL, 'txn.afterCommit', 2],
    [LARGE, 'txn.afterPrepare', 1],
    [LARGE, 'txn.midCommit', 2],
  ];
  for (const [shape, point, nth] of crashes) {
    it(`outputs each input exactly once when the trigger dies at ${point}, and a later one resumes`, async () => {
      const setup = await setUp(shape);
      const invoke = inProcessInvoker(transform(setup, shape));
      const crashing = crashingClient(t, point, nth);
      await expect(deliver(depsOn(crashing.transport, invoke), setup)).rejects.toThrow();
      expect(crashing.transport.dead).toBe(true);
      expect(await deliver(depsOn(t.another().transport, invoke, LATER_MS), setup)).toMatchObject({ status: 'caught-up' });
      await expectExactlyOnce(setup);
    });
  }

  it('fences a deliverer whose lease expired while its function ran: its output is never committed', async () => {
    const setup = await setUp(SMALL);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const plain = transform(setup, SMALL);
    const slowFirst: InProcessHandler = async (event) => {
      if (calls++ === 0) await held;
      return plain(event);
    };
    const zombie = deliver(depsOn(t.another().transport, inProcessInvoker(slowFirst)), setup);
    while (calls === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    // The lease is past its time for the next deliverer, which takes the partition over (and its transactional id).
    expect(await deliver(depsOn(t.another().transport, inProcessInvoker(plain), LATER_MS), setup)).toMatchObject({ status: 'caught-up' });
    release();
    const fenced = await zombie.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(fenced).toBeInstanceOf(KafkalessError);
    expect((fenced as KafkalessError).code).toMatch(/ProducerFenced|InvalidProducerEpoch/);
    await expectExactlyOnce(setup);
  });
});
