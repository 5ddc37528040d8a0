import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTxnDeps, recoverTransactions } from '../../lib/broker/transactions/index.js';
import type { Producer } from '../../lib/client/producer/producer.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { contextAt, crashingClient } from './crash.js';
import { createTopic, highWatermarks, readAll, stagedItems, strayCommitState } from './helpers.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

const PARTITIONS = 34;
const config = (id: string) => ({ 'transactional.id': id, 'linger.ms': 0, 'retry.backoff.ms': 5, 'retry.backoff.max.ms': 20 });

/** Two batches in each of 34 partitions: 1 + 34 + 68 + 1 items, more than one DynamoDB transaction holds, so the commit takes several steps. */
async function sendLarge(producer: Producer, topic: string, tag: string): Promise<void> {
  for (const round of [0, 1]) {
    await producer.send({ topic, messages: Array.from({ length: PARTITIONS }, (_, p) => ({ value: `${tag}-${p}-${round}`, partition: p })) });
  }
}

function expectWhole(values: readonly string[], tag: string): void {
  const expected = Array.from({ length: PARTITIONS }, (_, p) => [`${tag}-${p}-0`, `${tag}-${p}-1`]).flat();
  expect(values.filter((v) => v.startsWith(`${tag}-`)).sort()).toEqual(expected.sort());
}

describe('a commit larger than one DynamoDB transaction', () => {
  it('commits in steps and makes every partition visible at once', async () => {
    const topic = await createTopic(t.kafkaless, 'large', PARTITIONS);
    const producer = t.kafkaless.producer(config('large-id'));
    await producer.initTransactions();
    producer.beginTransaction();
    await sendLarge(producer, topic, 'L');
    const ranges = await producer.commitTransaction();
    expect(ranges).toHaveLength(PARTITIONS);
    expect(await highWatermarks(t.kafkaless, topic)).toEqual(Array(PARTITIONS).fill(2));
    expectWhole((await readAll(t.kafkaless, topic)).map((r) => r.value), 'L');
    expect(await strayCommitState(t)).toEqual({ locked: 0, aboveHighWatermark: 0 });
  });

  it('interrupted after its prepare is invisible, and rolled forward whole by the next instance', async () => {
    const topic = await createTopic(t.kafkaless, 'prepared', PARTITIONS);
    const { kafkaless } = crashingClient(t, 'txn.afterPrepare');
    const producer = kafkaless.producer(config('prepared-id'));
    await producer.initTransactions();
    producer.beginTransaction();
    await sendLarge(producer, topic, 'P');
    await expect(producer.commitTransaction()).rejects.toThrow();
    expect(await highWatermarks(t.kafkaless, topic)).toEqual(Array(PARTITIONS).fill(0));
    const [plain] = await t.kafkaless.producer().send({ topic, messages: [{ value: 'plain', partition: 0 }] });
    expect(plain!.offset).toBe(0);
    await t.another().producer(config('prepared-id')).initTransactions();
    const read = await readAll(t.kafkaless, topic);
    expectWhole(read.map((r) => r.value), 'P');
    expect(read.filter((r) => r.partition === 0).map((r) => r.value)).toEqual(['plain', 'P-0-0', 'P-0-1']);
    expect(await strayCommitState(t)).toEqual({ locked: 0, aboveHighWatermark: 0 });
    expect(await stagedItems(t)).toEqual([]);
  });

  it('interrupted with partitions locked holds ordinary appends back, and is completed by recovery, never half-visible', async () => {
    const topic = await createTopic(t.kafkaless, 'locked', PARTITIONS);
    const { kafkaless } = crashingClient(t, 'txn.midCommit');
    const producer = kafkaless.producer(config('locked-id'));
    await producer.initTransactions();
    producer.beginTransaction();
    await sendLarge(producer, topic, 'M');
    await expect(producer.commitTransaction()).rejects.toThrow();
    expect(await highWatermarks(t.kafkaless, topic)).toEqual(Array(PARTITIONS).fill(0));
    expect((await strayCommitState(t)).locked).toBe(PARTITIONS);
    expect(await readAll(t.kafkaless, topic)).toEqual([]);
    const waiting = t.kafkaless.producer().send({ topic, messages: [{ value: 'waited', partition: 3 }] });
    const later = Date.now() + 60_000;
    expect(await recoverTransactions(createTxnDeps(contextAt(t, later)), later)).toMatchObject({ rolledForward: 1, failures: [] });
    const [appended] = await waiting;
    expect(appended!.offset).toBe(2);
    const read = await readAll(t.kafkaless, topic);
    expectWhole(read.map((r) => r.value), 'M');
    expect(read.filter((r) => r.partition === 3).map((r) => r.value)).toEqual(['M-3-0', 'M-3-1', 'waited']);
    expect(await strayCommitState(t)).toEqual({ locked: 0, aboveHighWatermark: 0 });
  });

  it('interrupted once, completes when the same producer retries its commit', async () => {
    const topic = await createTopic(t.kafkaless, 'retried', PARTITIONS);
    const { crashAt } = await import('./crash.js');
    const producer = t.another({ faults: crashAt('txn.midCommit', 1) }).producer(config('retried-id'));
    await producer.initTransactions();
    producer.beginTransaction();
    await sendLarge(producer, topic, 'R');
    await producer.commitTransaction();
    expectWhole((await readAll(t.kafkaless, topic)).map((r) => r.value), 'R');
  });

  it('touching more than 99 partitions is refused at commit with a clear error, and can be aborted', async () => {
    const topic = await createTopic(t.kafkaless, 'too-wide', 100);
    const producer = t.kafkaless.producer(config('too-wide-id'));
    const txn = await producer.transaction();
    await txn.send({ topic, messages: Array.from({ length: 100 }, (_, p) => ({ value: 'w', partition: p })) });
    await expect(txn.commit()).rejects.toMatchObject({ code: 'InvalidRequest', message: expect.stringContaining('at most 99') });
    await txn.abort();
    expect((await highWatermarks(t.kafkaless, topic)).every((hw) => hw === 0)).toBe(true);
  });
});
