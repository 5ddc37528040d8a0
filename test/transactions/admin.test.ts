import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkalessError } from '../../lib/errors.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { createGroup, createTopic } from './helpers.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

const admin = () => t.kafkaless.admin();

async function code(action: () => Promise<unknown>): Promise<string | undefined> {
  return action().then(
    () => undefined,
    (err: unknown) => (err instanceof KafkalessError ? err.code : String(err)),
  );
}

describe('transaction administration', () => {
  it('lists, describes and shows the producers of a transaction through its life', async () => {
    const topic = await createTopic(t.kafkaless, 'adm-txn-out', 2);
    const input = await createTopic(t.kafkaless, 'adm-txn-in', 1);
    await createGroup(t.kafkaless, 'adm-txn-group', input, 1);
    const producer = t.kafkaless.producer({ 'transactional.id': 'adm-txn-1', 'linger.ms': 0, 'transaction.timeout.ms': 30_000 });
    const txn = await producer.transaction();
    const startedAfter = Date.now();
    await txn.send({ topic, messages: [{ value: 'a', partition: 1 }, { value: 'b', partition: 1 }] });
    await txn.sendOffsets({ consumerGroupId: 'adm-txn-group', topics: [{ topic: input, partitions: [{ partition: 0, offset: '3' }] }] });

    const [open] = await admin().describeTransactions(['adm-txn-1']);
    expect(open).toMatchObject({ transactionalId: 'adm-txn-1', state: 'Ongoing', producerEpoch: 0, transactionTimeoutMs: 30_000, topicPartitions: [{ topic, partition: 1 }], groupIds: ['adm-txn-group'] });
    expect(open!.transactionStartTimeMs).toBeGreaterThanOrEqual(startedAfter - 1000);
    expect(await admin().listTransactions({ states: ['Ongoing'] })).toEqual([{ transactionalId: 'adm-txn-1', producerId: open!.producerId, state: 'Ongoing' }]);
    expect(await admin().listTransactions({ producerIds: [open!.producerId + 1000] })).toEqual([]);
    const [p1, p0] = await admin().describeProducers([{ topic, partition: 1 }, { topic, partition: 0 }]);
    expect(p1).toEqual({
      topic,
      partition: 1,
      activeProducers: [{ producerId: open!.producerId, producerEpoch: 0, lastSequence: 1, lastTimestamp: expect.any(Number), currentTransactionStartOffset: -1, transactionalId: 'adm-txn-1' }],
    });
    expect(p0).toEqual({ topic, partition: 0, activeProducers: [] });

    await txn.commit();
    const [done] = await admin().describeTransactions(['adm-txn-1']);
    expect(done).toMatchObject({ state: 'CompleteCommit', transactionStartTimeMs: -1, topicPartitions: [], groupIds: [] });
    expect(await admin().listTransactions({ states: ['Ongoing'] })).toEqual([]);
    expect((await admin().listTransactions()).map((l) => [l.transactionalId, l.state])).toEqual([['adm-txn-1', 'CompleteCommit']]);
    await producer.disconnect();
  });

  it("shows an idempotent producer's last sequence and append time", async () => {
    const topic = await createTopic(t.kafkaless, 'adm-idem', 1);
    const producer = t.kafkaless.producer({ 'linger.ms': 0 });
    const before = Date.now();
    await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    await producer.disconnect();
    const [p] = await admin().describeProducers([{ topic, partition: 0 }]);
    expect(p!.activeProducers).toEqual([{ producerId: expect.any(Number), producerEpoch: 0, lastSequence: 2, lastTimestamp: expect.any(Number), currentTransactionStartOffset: -1 }]);
    expect(p!.activeProducers[0]!.lastTimestamp).toBeGreaterThanOrEqual(before - 1000);
  });

  it('answers bad input with a typed error', async () => {
    await createTopic(t.kafkaless, 'adm-bad', 1);
    expect(await code(() => admin().describeTransactions(['no-such-id']))).toBe('TransactionalIdNotFound');
    expect(await code(() => admin().describeTransactions([]))).toBe('InvalidRequest');
    expect(await code(() => admin().describeProducers([{ topic: 'no-such-topic', partition: 0 }]))).toBe('UnknownTopicOrPartition');
    expect(await code(() => admin().describeProducers([{ topic: 'adm-bad', partition: 1 }]))).toBe('UnknownTopicOrPartition');
    expect(await code(() => admin().listTransactions({ states: ['Running' as never] }))).toBe('InvalidRequest');
  });
});
