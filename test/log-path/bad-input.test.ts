import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createFetchHandler } from '../../lib/broker/fetch/index.js';
import { createProduceHandler } from '../../lib/broker/produce/index.js';
import { createBrokerContext } from '../../lib/broker/context.js';
import { encodeRecordBatch } from '../../lib/log/index.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { batchBase64, snapshot } from './helpers.js';

let t: TestKafkaless;
let produce: ReturnType<typeof createProduceHandler>;
let fetch: ReturnType<typeof createFetchHandler>;
beforeAll(async () => {
  t = await createTestKafkaless();
  const ctx = createBrokerContext({ dynamodb: t.clients.dynamodb, s3: t.clients.s3, tables: t.tables, bucket: t.bucket });
  produce = createProduceHandler(ctx, () => undefined);
  fetch = createFetchHandler(ctx, () => undefined);
  await t.kafkaless.admin().createTopics({ topics: [{ topic: 'strict', numPartitions: 2, configEntries: [{ name: 'max.message.bytes', value: '2000' }] }] });
  const producer = t.kafkaless.producer({ 'linger.ms': 0 });
  await producer.send({ topic: 'strict', messages: [{ value: 'seed', partition: 0 }] });
  await producer.disconnect();
});
afterAll(async () => t?.close());

async function expectRejected(event: unknown, code: string): Promise<void> {
  const before = await snapshot(t);
  const reply = await produce(event);
  expect(reply.ok, JSON.stringify(reply)).toBe(false);
  if (!reply.ok) {
    expect(reply.error.code).toBe(code);
    expect(reply.error.message.length).toBeGreaterThan(10);
  }
  expect(await snapshot(t)).toEqual(before);
}

const entry = async (over: Record<string, unknown> = {}, values = ['v']) => ({ topic: 'strict', partition: 0, batch: await batchBase64(values), ...over });

describe('bad produce input changes nothing', () => {
  it('rejects malformed events and wrong types', async () => {
    await expectRejected('{oops', 'InvalidRequest');
    await expectRejected(null, 'InvalidRequest');
    await expectRejected({ action: 'produce' }, 'InvalidRequest');
    await expectRejected({ action: 'produce', entries: [] }, 'InvalidRequest');
    await expectRejected({ action: 'produce', entries: [await entry({ partition: '0' })] }, 'InvalidRequest');
    await expectRejected({ action: 'produce', entries: [await entry({ batch: '***' })] }, 'InvalidRequest');
    await expectRejected({ action: 'produce', acks: 2, entries: [await entry()] }, 'InvalidRequest');
  });

  it('rejects unknown topics and partitions out of range', async () => {
    await expectRejected({ action: 'produce', entries: [await entry({ topic: 'nope' })] }, 'UnknownTopicOrPartition');
    await expectRejected({ action: 'produce', entries: [await entry({ partition: 2 })] }, 'UnknownTopicOrPartition');
    await expectRejected({ action: 'produce', entries: [await entry(), await entry({ topic: 'bad topic' })] }, 'InvalidTopic');
  });

  it('rejects a batch over max.message.bytes with RecordTooLarge', async () => {
    await expectRejected({ action: 'produce', entries: [await entry({}, ['x'.repeat(3000)])] }, 'RecordTooLarge');
  });

  it('rejects bytes that are not a valid batch with CorruptRecord', async () => {
    const good = Buffer.from(await batchBase64(['v']), 'base64');
    good[good.length - 1] ^= 0xff;
    await expectRejected({ action: 'produce', entries: [await entry({ batch: good.toString('base64') })] }, 'CorruptRecord');
    await expectRejected({ action: 'produce', entries: [await entry({ batch: Buffer.from('hello').toString('base64') })] }, 'CorruptRecord');
  });

  it('rejects bad timestamps', async () => {
    const future = (await encodeRecordBatch([{ key: null, value: Buffer.from('f'), timestamp: Date.now() + 86_400_000 }])).toString('base64');
    await expectRejected({ action: 'produce', entries: [await entry({ batch: future })] }, 'InvalidTimestamp');
  });

  it('rejects control and transactional batches from producers', async () => {
    const control = (await encodeRecordBatch([{ key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0, 0, 0, 0, 0]), timestamp: Date.now() }], { isControl: true, isTransactional: true, producerId: 1, producerEpoch: 0, baseSequence: 0 })).toString('base64');
    await expectRejected({ action: 'produce', entries: [await entry({ batch: control })] }, 'InvalidRecord');
    const txn = await batchBase64(['t'], { isTransactional: true, producerId: 1, producerEpoch: 0, baseSequence: 0 });
    await expectRejected({ action: 'produce', entries: [await entry({ batch: txn })] }, 'InvalidTxnState');
  });

  it('rejects records without a key on a compacted topic, as Kafka does', async () => {
    await t.kafkaless.admin().createTopics({ topics: [{ topic: 'compacted', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
    await expectRejected({ action: 'produce', entries: [await entry({ topic: 'compacted' })] }, 'InvalidRecord');
  });

  it('rejects the whole request when one entry is bad, appending none of it', async () => {
    await expectRejected({ action: 'produce', entries: [await entry({ partition: 1 }), await entry({ partition: 0 }, ['x'.repeat(3000)])] }, 'RecordTooLarge');
  });

  it('answers malformed fetch requests with InvalidRequest', async () => {
    for (const event of ['{', { action: 'fetch' }, { action: 'fetch', partitions: [{ topic: 'strict', partition: -1, offset: 0 }] }, { action: 'listOffsets', partitions: [{ topic: 'strict', partition: 0, timestamp: -3 }] }]) {
      const reply = await fetch(event);
      expect(reply.ok).toBe(false);
      if (!reply.ok) expect(reply.error.code).toBe('InvalidRequest');
    }
  });
});

describe('corruption in storage', () => {
  it('answers a flipped byte in an object with CorruptRecord, never garbage', async () => {
    await t.kafkaless.admin().createTopics({ topics: [{ topic: 'fragile' }] });
    const before = new Set(((await t.clients.s3.send(new ListObjectsV2Command({ Bucket: t.bucket }))).Contents ?? []).map((o) => o.Key));
    const producer = t.kafkaless.producer({ 'linger.ms': 0 });
    await producer.send({ topic: 'fragile', messages: [{ value: 'precious' }] });
    await producer.disconnect();
    const listed = (await t.clients.s3.send(new ListObjectsV2Command({ Bucket: t.bucket }))).Contents ?? [];
    const key = listed.map((o) => o.Key!).find((k) => !before.has(k))!;
    const body = Buffer.from(await (await t.clients.s3.send(new GetObjectCommand({ Bucket: t.bucket, Key: key }))).Body!.transformToByteArray());
    body[body.length - 3] ^= 0x01;
    await t.clients.s3.send(new PutObjectCommand({ Bucket: t.bucket, Key: key, Body: body }));

    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    consumer.assign([{ topic: 'fragile', partition: 0 }]);
    await expect(consumer.poll({ timeoutMs: 100 })).rejects.toMatchObject({ code: 'CorruptRecord' });
  });
});
