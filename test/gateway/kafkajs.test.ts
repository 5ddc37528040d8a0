/** kafkajs 2.2.4 against the gateway: admin, producers (plain, idempotent, gzip), and the records read natively. */
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { readNatively } from '../support/read-natively.js';

let t: TestGateway;
let kafka: Kafka;

beforeAll(async () => {
  t = await createTestGateway();
  kafka = new Kafka({ clientId: 'gateway-test', brokers: [t.broker], logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 50 } });
});
afterAll(async () => t.close());

const readBack = (topic: string, partition: number, count: number) => readNatively(t.native.kafkaless, topic, partition, count);

describe('kafkajs through the gateway', () => {
  it('creates, lists and deletes topics, with per-topic errors', async () => {
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.createTopics({ topics: [{ topic: 'admin-a', numPartitions: 3 }, { topic: 'admin-b' }] })).toBe(true);
    expect((await admin.listTopics()).sort()).toEqual(['admin-a', 'admin-b']);
    const meta = await admin.fetchTopicMetadata({ topics: ['admin-a'] });
    expect(meta.topics[0]!.partitions.map((p) => [p.partitionId, p.leader])).toEqual([[0, 0], [1, 0], [2, 0]]);
    await expect(admin.createTopics({ topics: [{ topic: 'admin-a' }] })).resolves.toBe(false);
    await expect(admin.createTopics({ topics: [{ topic: 'bad name!' }] })).rejects.toThrow();
    await admin.deleteTopics({ topics: ['admin-b'] });
    expect(await admin.listTopics()).toEqual(['admin-a']);
    await expect(admin.fetchTopicMetadata({ topics: ['missing'] })).rejects.toThrow(/does not host this topic-partition/);
    await admin.disconnect();
  });

  it('produces keyed records with headers (plain and gzip) that read back natively, byte for byte', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }] });
    await admin.disconnect();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const plain = await producer.send({
      topic: 'orders',
      acks: -1,
      messages: [
        { key: 'k1', value: 'one', partition: 0, headers: { source: 'kafkajs', n: '1' } },
        { key: 'k2', value: 'two', partition: 0, headers: { source: 'kafkajs' } },
      ],
    });
    expect(plain).toEqual([expect.objectContaining({ topicName: 'orders', partition: 0, errorCode: 0, baseOffset: '0' })]);
    await producer.send({
      topic: 'orders',
      compression: CompressionTypes.GZIP,
      messages: Array.from({ length: 20 }, (_, i) => ({ key: `g${i}`, value: `gzip-${i}`.repeat(10), partition: 1, headers: { i: String(i) } })),
    });
    await producer.disconnect();

    const zero = await readBack('orders', 0, 2);
    expect(zero.map((r) => [r.offset, r.key?.toString(), r.value?.toString(), r.headers.map((h) => [h.key, h.value?.toString()])])).toEqual([
      [0, 'k1', 'one', [['source', 'kafkajs'], ['n', '1']]],
      [1, 'k2', 'two', [['source', 'kafkajs']]],
    ]);
    const one = await readBack('orders', 1, 20);
    expect(one.map((r) => r.value?.toString())).toEqual(Array.from({ length: 20 }, (_, i) => `gzip-${i}`.repeat(10)));
    expect(one[7]!.headers.map((h) => [h.key, h.value?.toString()])).toEqual([['i', '7']]);

    const admin2 = kafka.admin();
    await admin2.connect();
    expect(await admin2.fetchTopicOffsets('orders')).toEqual(
      expect.arrayContaining([expect.objectContaining({ partition: 0, high: '2', low: '0' }), expect.objectContaining({ partition: 1, high: '20', low: '0' })]),
    );
    const byTime = await admin2.fetchTopicOffsetsByTimestamp('orders', 0);
    expect(byTime).toEqual(expect.arrayContaining([expect.objectContaining({ partition: 0, offset: '0' })]));
    await admin2.disconnect();
  });

  it('an idempotent producer gets a producer id, and its batches pass the broker\'s sequence checks', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'idem', numPartitions: 1 }] });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let i = 0; i < 3; i++) await producer.send({ topic: 'idem', acks: -1, messages: [{ value: `m${i}` }, { value: `n${i}` }] });
    await producer.disconnect();
    const read = await readBack('idem', 0, 6);
    expect(read.map((r) => r.value?.toString())).toEqual(['m0', 'n0', 'm1', 'n1', 'm2', 'n2']);
  });
});
