import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
  await t.kafkaless.admin().createTopics({ topics: [{ topic: 'events', numPartitions: 3 }, { topic: 'stamped', numPartitions: 1, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] }] });
});
afterAll(async () => t?.close());

describe('produce and fetch', () => {
  it('gives each message its offset and reads every one back in order', async () => {
    const producer = t.kafkaless.producer({ 'linger.ms': 2 });
    const messages = Array.from({ length: 60 }, (_, i) => ({ key: `k${i % 7}`, value: `v${i}`, headers: { n: String(i) } }));
    const meta = await producer.send({ topic: 'events', messages });
    await producer.disconnect();
    expect(meta).toHaveLength(60);

    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    consumer.assign([0, 1, 2].map((partition) => ({ topic: 'events', partition })));
    const seen = [];
    for (let i = 0; i < 20 && seen.length < 60; i++) seen.push(...(await consumer.poll({ timeoutMs: 100 })));
    expect(seen).toHaveLength(60);
    for (const [i, m] of meta.entries()) {
      const r = seen.find((x) => x.partition === m.partition && x.offset === m.offset)!;
      expect(r.value!.toString()).toBe(`v${i}`);
      expect(r.key!.toString()).toBe(`k${i % 7}`);
      expect(r.headers).toEqual([{ key: 'n', value: Buffer.from(String(i)) }]);
    }
    for (const p of [0, 1, 2]) {
      const offsets = seen.filter((r) => r.partition === p).map((r) => r.offset);
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
  });

  it('sends a keyed message to the partition Kafka would choose', async () => {
    const producer = t.kafkaless.producer({ 'linger.ms': 0 });
    const [meta] = await producer.send({ topic: 'events', messages: [{ key: 'a', value: 'x' }] });
    await producer.disconnect();
    // murmur2("a") & 0x7fffffff % 3, from Kafka's known answers.
    const { partitionForKey } = await import('../../lib/client/partitioners/index.js');
    expect(meta!.partition).toBe(partitionForKey(Buffer.from('a'), 3));
  });

  it('stamps the commit time on a LogAppendTime topic', async () => {
    const before = Date.now();
    const producer = t.kafkaless.producer({ 'linger.ms': 0 });
    const [meta] = await producer.send({ topic: 'stamped', messages: [{ value: 'x', timestamp: 1000 }] });
    await producer.disconnect();
    expect(meta!.timestamp).toBeGreaterThanOrEqual(before);
    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    consumer.assign([{ topic: 'stamped', partition: 0 }]);
    const [record] = await consumer.poll({ timeoutMs: 100 });
    expect(record!.timestamp).toBe(meta!.timestamp);
  });

  it('lists the earliest, latest and by-timestamp offsets', async () => {
    await t.kafkaless.admin().createTopics({ topics: [{ topic: 'timed', numPartitions: 1 }] });
    const producer = t.kafkaless.producer({ 'linger.ms': 0 });
    await producer.send({ topic: 'timed', messages: [{ value: 'old', timestamp: 1_000 }] });
    const [late] = await producer.send({ topic: 'timed', messages: [{ value: 'new', timestamp: 5_000 }] });
    await producer.disconnect();
    const { call } = await import('../../lib/client/transport.js');
    const reply = await call<{ partitions: { offset: number; timestamp: number }[] }>(t.transport, 'fetch', {
      action: 'listOffsets',
      partitions: [
        { topic: 'timed', partition: 0, timestamp: -2 },
        { topic: 'timed', partition: 0, timestamp: -1 },
        { topic: 'timed', partition: 0, timestamp: 2_000 },
        { topic: 'timed', partition: 0, timestamp: 9_999_999_999_999 },
      ],
    });
    expect(reply.partitions.map((p) => p.offset)).toEqual([0, late!.offset + 1, late!.offset, -1]);
    expect(reply.partitions[2]!.timestamp).toBe(5_000);
  });

  it('answers an offset outside the log with OffsetOutOfRange, and auto.offset.reset recovers', async () => {
    const strict = t.kafkaless.consumer({ 'auto.offset.reset': 'none' });
    strict.assign([{ topic: 'events', partition: 0 }]);
    strict.seek({ topic: 'events', partition: 0, offset: 1_000_000 });
    await expect(strict.poll()).rejects.toMatchObject({ code: 'OffsetOutOfRange' });

    const lenient = t.kafkaless.consumer({ 'auto.offset.reset': 'latest' });
    lenient.assign([{ topic: 'events', partition: 0 }]);
    lenient.seek({ topic: 'events', partition: 0, offset: 1_000_000 });
    await lenient.poll();
    const [head] = await t.kafkaless.admin().describeTopics({ topics: ['events'] });
    expect(await lenient.position({ topic: 'events', partition: 0 })).toBe(head!.partitions[0]!.highWatermark);
  });

  it('reads partitions in parallel but keeps, in request order, only what fits the fetch byte budget', async () => {
    await t.kafkaless.admin().createTopics({ topics: [{ topic: 'budget', numPartitions: 3 }] });
    const producer = t.kafkaless.producer({ 'linger.ms': 0 });
    for (const partition of [0, 1, 2]) await producer.send({ topic: 'budget', messages: [{ value: 'x'.repeat(3000), partition }] });
    await producer.disconnect();
    const { call } = await import('../../lib/client/transport.js');
    const reply = await call<{ partitions: { partition: number; records: string; highWatermark: number }[] }>(t.transport, 'fetch', {
      action: 'fetch',
      maxBytes: 4000,
      partitions: [0, 1, 2].map((partition) => ({ topic: 'budget', partition, offset: 0 })),
    });
    expect(reply.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    expect(reply.partitions.map((p) => p.records.length > 0)).toEqual([true, false, false]);
    expect(reply.partitions.map((p) => p.highWatermark)).toEqual([1, 1, 1]);
  });

  it('waits for data up to maxWaitMs and returns it when it arrives', async () => {
    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'latest', 'fetch.max.wait.ms': 3000 });
    consumer.assign([{ topic: 'events', partition: 1 }]);
    await consumer.position({ topic: 'events', partition: 1 });
    const polled = consumer.poll({ timeoutMs: 3000 });
    setTimeout(() => {
      const producer = t.kafkaless.producer({ 'linger.ms': 0 });
      void producer.send({ topic: 'events', messages: [{ value: 'late', partition: 1 }] }).then(() => producer.disconnect());
    }, 300);
    const records = await polled;
    expect(records.map((r) => r.value!.toString())).toEqual(['late']);
  });
});
