/**
 * Kafka transactions through the gateway: kafkajs 2.2.4's transactional
 * producer commits and aborts across partitions, read back with kcat
 * (librdkafka) at both isolation levels and natively.
 */
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { kcatValues } from '../support/kcat.js';
import { committedOffsets, createGroup } from '../transactions/helpers.js';

let t: TestGateway;
let kafka: Kafka;
const producers: Producer[] = [];

beforeAll(async () => {
  t = await createTestGateway();
  kafka = new Kafka({ clientId: 'txn-test', brokers: [t.broker], logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 50 } });
});
afterAll(async () => {
  for (const p of producers) await p.disconnect().catch(() => undefined);
  await t.close();
});

async function transactionalProducer(transactionalId: string, k: Kafka = kafka): Promise<Producer> {
  const producer = k.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  producers.push(producer);
  await producer.connect();
  return producer;
}

async function createTopic(topic: string, numPartitions: number): Promise<string> {
  await t.native.kafkaless.admin().createTopics({ topics: [{ topic, numPartitions }] });
  return topic;
}

const kcatRead = (topic: string, isolation: 'read_committed' | 'read_uncommitted') => kcatValues(t.broker, topic, isolation);

describe('a kafkajs transactional producer through the gateway', () => {
  it('commits one transaction and aborts another across two partitions: read_committed sees the committed records exactly once, never the aborted', async () => {
    const topic = await createTopic('txn-out', 2);
    const producer = await transactionalProducer('txn-commit-abort');
    const committed = await producer.transaction();
    const sent = await committed.send({ topic, messages: [{ value: 'c0', partition: 0 }, { value: 'c1', partition: 1 }, { value: 'c0b', partition: 0 }] });
    expect(sent.map((m) => [m.partition, m.errorCode, m.baseOffset]).sort()).toEqual([
      [0, 0, '-1'],
      [1, 0, '-1'],
    ]);
    expect(await kcatRead(topic, 'read_uncommitted')).toEqual([]);
    await committed.commit();

    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ value: 'a0', partition: 0 }, { value: 'a1', partition: 1 }] });
    await aborted.abort();

    const again = await producer.transaction();
    await again.send({ topic, messages: [{ value: 'c1b', partition: 1 }] });
    await again.commit();

    const expected = ['0:c0', '0:c0b', '1:c1', '1:c1b'];
    expect(await kcatRead(topic, 'read_committed')).toEqual(expected);
    expect(await kcatRead(topic, 'read_uncommitted')).toEqual(expected);
    const consumer = t.native.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    consumer.assign([{ topic, partition: 0 }, { topic, partition: 1 }]);
    const read: string[] = [];
    while (read.length < expected.length) read.push(...(await consumer.poll({ timeoutMs: 100 })).map((r) => `${r.partition}:${r.offset}:${r.value?.toString()}`));
    await consumer.disconnect();
    expect(read.sort()).toEqual(['0:0:c0', '0:1:c0b', '1:0:c1', '1:1:c1b']);
  });

  it('commits sendOffsets (TxnOffsetCommit) with the transaction: the group\'s committed offsets move only at commit, never after abort', async () => {
    const input = await createTopic('txn-in', 2);
    const out = await createTopic('txn-offsets-out', 1);
    await createGroup(t.native.kafkaless, 'txn-group', input, 2);
    const offsets = () => committedOffsets(t.native.kafkaless, 'txn-group', input).then((m) => [m.get(0), m.get(1)]);
    const producer = await transactionalProducer('txn-offsets');

    const aborted = await producer.transaction();
    await aborted.send({ topic: out, messages: [{ value: 'dropped' }] });
    await aborted.sendOffsets({ consumerGroupId: 'txn-group', topics: [{ topic: input, partitions: [{ partition: 0, offset: '5' }, { partition: 1, offset: '3' }] }] });
    await aborted.abort();
    expect(await offsets()).toEqual([0, 0]);

    const committed = await producer.transaction();
    await committed.send({ topic: out, messages: [{ value: 'kept' }] });
    await committed.sendOffsets({ consumerGroupId: 'txn-group', topics: [{ topic: input, partitions: [{ partition: 0, offset: '7' }, { partition: 1, offset: '4' }] }] });
    expect(await offsets()).toEqual([0, 0]);
    await committed.commit();
    expect(await offsets()).toEqual([7, 4]);

    const offsetsOnly = await producer.transaction();
    await offsetsOnly.sendOffsets({ consumerGroupId: 'txn-group', topics: [{ topic: input, partitions: [{ partition: 1, offset: '9' }] }] });
    expect(await offsets()).toEqual([7, 4]);
    await offsetsOnly.commit();
    expect(await offsets()).toEqual([7, 9]);
    expect(await kcatRead(out, 'read_committed')).toEqual(['0:kept']);
  });

  it('fences a zombie: once a second producer with the same transactional id initialized, the first one\'s send and commit fail', async () => {
    const topic = await createTopic('txn-zombie', 2);
    const first = await transactionalProducer('txn-zombie-id');
    const zombie = await first.transaction();
    await zombie.send({ topic, messages: [{ value: 'before', partition: 0 }] });
    const second = await transactionalProducer('txn-zombie-id');
    const current = await second.transaction(); // kafkajs initializes the transactional id here
    await expect(zombie.send({ topic, messages: [{ value: 'after', partition: 0 }] })).rejects.toMatchObject({ type: 'INVALID_PRODUCER_EPOCH' });
    await expect(zombie.send({ topic, messages: [{ value: 'after', partition: 1 }] })).rejects.toMatchObject({ type: 'INVALID_PRODUCER_EPOCH' });
    await expect(zombie.commit()).rejects.toMatchObject({ type: 'INVALID_PRODUCER_EPOCH' });
    await current.send({ topic, messages: [{ value: 'current', partition: 1 }] });
    await current.commit();
    expect(await kcatRead(topic, 'read_committed')).toEqual(['1:current']);
  });
});
