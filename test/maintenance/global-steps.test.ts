import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { maintain, testClock } from './helpers.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
  await t.kafkaless.admin().createTopics({ topics: [{ topic: 'scheduled', numPartitions: 2 }] });
});
afterAll(async () => t?.close());

describe('a maintenance run over the whole stack', () => {
  it('aborts a transaction past its timeout and expires a silent group member', async () => {
    const producer = t.kafkaless.producer({ 'transactional.id': 'abandoned', 'transaction.timeout.ms': 1_000, 'linger.ms': 0 });
    const txn = await producer.transaction();
    await txn.send({ topic: 'scheduled', messages: [{ value: 'never', partition: 0 }] });

    const consumer = t.kafkaless.consumer({ 'group.id': 'sleepy', 'session.timeout.ms': 6_000, 'auto.offset.reset': 'earliest' });
    consumer.subscribe({ topic: 'scheduled' });
    await consumer.poll({ timeoutMs: 100 });
    const [before] = (await t.kafkaless.admin().describeGroups(['sleepy'])).groups;
    expect(before!.members).toHaveLength(1);

    const clock = testClock(Date.now() + 60_000);
    const reply = await maintain(t, clock, { steps: ['transactions', 'groups'] });
    expect(reply.transactions).toMatchObject({ timedOut: 1, failures: [] });
    expect(reply.groups!.changed).toBeGreaterThanOrEqual(1);
    const [after] = (await t.kafkaless.admin().describeGroups(['sleepy'])).groups;
    expect(after!.members).toHaveLength(0);
    await expect(txn.commit()).rejects.toMatchObject({ code: 'TransactionAbortable' });
    await consumer.disconnect().catch(() => undefined);
  });
});
