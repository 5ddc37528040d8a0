/**
 * @platformatic/kafka against the gateway: its admin, its producer (every
 * codec, idempotent), and its consumer's lower-level fetch and offset lookups
 * (its `consume()` in a group: platformatic-groups.test.ts).
 */
import { Admin, Consumer, Producer, type CompressionAlgorithmValue } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initZstd, type CompressionType } from '../../lib/log/index.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { registerPlatformaticZstd } from '../support/platformatic-zstd.js';
import { readNatively } from '../support/read-natively.js';

let t: TestGateway;

beforeAll(async () => {
  await initZstd();
  registerPlatformaticZstd();
  t = await createTestGateway();
});
afterAll(async () => t.close());

const base = () => ({ clientId: 'platformatic-test', bootstrapBrokers: [t.broker], retries: 2, retryDelay: 50 });

const CODECS: readonly (CompressionAlgorithmValue & CompressionType)[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
/**
 * Natively written batches it can read: not snappy, as kafkaless writes
 * snappy in xerial framing (as Kafka's Java client does) and
 * @platformatic/kafka 1.x reads only a bare snappy block.
 */
const READABLE_CODECS = CODECS.filter((c) => c !== 'snappy');

/** Bytes that are not text: every byte value, shifted by `seed`. */
const bytes = (seed: number, length: number) => Buffer.from(Array.from({ length }, (_, i) => (i * 7 + seed) % 256));

interface SentRecord {
  readonly key: Buffer;
  readonly value: Buffer;
  readonly headers: [Buffer, Buffer][];
}

const sample = (n: number, tag: string): SentRecord[] =>
  Array.from({ length: n }, (_, i) => ({
    key: Buffer.concat([Buffer.from(`${tag}-${i}-`), bytes(i, 5)]),
    value: bytes(i + 1, 300 + i),
    headers: [
      [Buffer.from('origin'), Buffer.from(tag)],
      [Buffer.from('bin'), bytes(i + 2, 9)],
    ],
  }));

const readBack = (topic: string, partition: number, count: number) => readNatively(t.native.kafkaless, topic, partition, count);

const CODEC_BITS = 0b111;

type FetchResponse = Awaited<ReturnType<Consumer['fetch']>>;

/** The records of one partition of a fetch answer, as [offset, key, value, headers]. */
function recordsOf(response: FetchResponse, topicId: string, partition: number) {
  const p = response.responses.find((r) => r.topicId === topicId)?.partitions.find((q) => q.partitionIndex === partition);
  expect(p?.errorCode).toBe(0);
  return (p?.records ?? []).flatMap((batch) =>
    batch.records.map((r) => ({ codec: batch.attributes & CODEC_BITS, offset: batch.firstOffset + BigInt(r.offsetDelta), timestamp: batch.firstTimestamp + r.timestampDelta, key: r.key, value: r.value, headers: r.headers })),
  );
}

/** Fetches one partition from `offset` to its high watermark with the consumer's lower-level fetch (Fetch v13: by topic id). */
async function fetchAll(consumer: Consumer, topic: string, partition: number, offset: bigint, highWatermark: bigint) {
  const topicId = (await consumer.metadata({ topics: [topic] })).topics.get(topic)!.id;
  const read: ReturnType<typeof recordsOf> = [];
  let next = offset;
  while (next < highWatermark) {
    const response = await consumer.fetch({
      node: 0,
      maxWaitTime: 100,
      topics: [{ topicId, partitions: [{ partition, currentLeaderEpoch: -1, fetchOffset: next, lastFetchedEpoch: -1, partitionMaxBytes: 1 << 20 }] }],
    });
    const records = recordsOf(response, topicId, partition).filter((r) => r.offset >= next);
    read.push(...records);
    if (records.length > 0) next = records[records.length - 1]!.offset + 1n;
  }
  return read;
}

describe('@platformatic/kafka through the gateway', () => {
  it('creates, lists and deletes topics through its admin', async () => {
    const admin = new Admin(base());
    try {
      const created = await admin.createTopics({ topics: ['pa-one', 'pa-two'], partitions: 3 });
      expect(created.map((c) => [c.name, c.partitions, c.replicas]).sort()).toEqual([
        ['pa-one', 3, 1],
        ['pa-two', 3, 1],
      ]);
      expect((await admin.listTopics()).sort()).toEqual(['pa-one', 'pa-two']);
      await expect(admin.createTopics({ topics: ['pa-one'] })).rejects.toThrow();
      await admin.deleteTopics({ topics: ['pa-two'] });
      expect(await admin.listTopics()).toEqual(['pa-one']);
      expect((await t.native.kafkaless.admin().listTopics()).sort()).toEqual(['pa-one']);
    } finally {
      await admin.close();
    }
  });

  it('produces keyed records with headers, with each codec, that read back natively byte for byte', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'pa-codecs', numPartitions: CODECS.length }] });
    const producer = new Producer(base());
    try {
      for (const [partition, compression] of CODECS.entries()) {
        const sent = sample(12, compression);
        const result = await producer.send({
          acks: -1,
          compression,
          messages: sent.map((r) => ({ topic: 'pa-codecs', partition, key: r.key, value: r.value, headers: new Map(r.headers) })),
        });
        expect(result.offsets).toEqual([{ topic: 'pa-codecs', partition, offset: 0n }]);
        const read = await readBack('pa-codecs', partition, sent.length);
        expect(read.map((r) => [r.offset, r.key, r.value, r.headers.map((h) => [h.key, h.value])])).toEqual(
          sent.map((r, i) => [i, r.key, r.value, r.headers.map(([k, v]) => [k.toString(), v])]),
        );
      }
    } finally {
      await producer.close();
    }
    const consumer = new Consumer({ ...base(), groupId: 'unused-no-group-is-joined' });
    try {
      for (const [partition, compression] of CODECS.entries()) {
        const read = await fetchAll(consumer, 'pa-codecs', partition, 0n, 12n);
        expect(read.map((r) => [r.offset, r.key, r.value, r.headers])).toEqual(sample(12, compression).map((r, i) => [BigInt(i), r.key, r.value, r.headers]));
        expect(new Set(read.map((r) => r.codec))).toEqual(new Set([partition]));
      }
    } finally {
      await consumer.close();
    }
  });

  it('reads natively produced records, each codec it reads, from the beginning with its fetch, byte for byte', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'pa-native', numPartitions: READABLE_CODECS.length }] });
    const producer = t.native.kafkaless.producer({ 'linger.ms': 0 });
    const sentBy = new Map<number, SentRecord[]>();
    for (const [partition, compression] of READABLE_CODECS.entries()) {
      const sent = sample(10, `native-${compression}`);
      sentBy.set(partition, sent);
      await producer.send({
        topic: 'pa-native',
        compression,
        messages: sent.map((r) => ({ partition, key: r.key, value: r.value, headers: Object.fromEntries(r.headers.map(([k, v]) => [k.toString(), v])) })),
      });
    }
    await producer.disconnect();

    const consumer = new Consumer({ ...base(), groupId: 'unused-no-group-is-joined' });
    try {
      const earliest = await consumer.listOffsets({ topics: ['pa-native'], timestamp: -2n });
      const latest = await consumer.listOffsets({ topics: ['pa-native'] });
      expect(earliest.get('pa-native')).toEqual(READABLE_CODECS.map(() => 0n));
      expect(latest.get('pa-native')).toEqual(READABLE_CODECS.map(() => 10n));
      for (const partition of READABLE_CODECS.keys()) {
        const read = await fetchAll(consumer, 'pa-native', partition, 0n, 10n);
        expect(read.map((r) => [r.offset, r.key, r.value, r.headers])).toEqual(sentBy.get(partition)!.map((r, i) => [BigInt(i), r.key, r.value, r.headers]));
      }
    } finally {
      await consumer.close();
    }
  });

  it('looks offsets up by timestamp and fetches from there', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'pa-time', numPartitions: 1 }] });
    const start = Date.now() - 60_000;
    const producer = t.native.kafkaless.producer({ 'linger.ms': 0 });
    for (let i = 0; i < 6; i++) await producer.send({ topic: 'pa-time', messages: [{ value: `at-${i}`, timestamp: start + i * 1000 }] });
    await producer.disconnect();

    const consumer = new Consumer({ ...base(), groupId: 'unused-no-group-is-joined' });
    try {
      const found = await consumer.listOffsetsWithTimestamps({ topics: ['pa-time'], timestamp: BigInt(start + 2500) });
      expect(found.get('pa-time')?.get(0)).toEqual({ offset: 3n, timestamp: BigInt(start + 3000) });
      const exact = await consumer.listOffsets({ topics: ['pa-time'], timestamp: BigInt(start + 1000) });
      expect(exact.get('pa-time')).toEqual([1n]);
      const after = await consumer.listOffsets({ topics: ['pa-time'], timestamp: BigInt(start + 10_000) });
      expect(after.get('pa-time')).toEqual([-1n]);
      const read = await fetchAll(consumer, 'pa-time', 0, 3n, 6n);
      expect(read.map((r) => [r.offset, r.timestamp, r.value?.toString()])).toEqual([3, 4, 5].map((i) => [BigInt(i), BigInt(start + i * 1000), `at-${i}`]));
    } finally {
      await consumer.close();
    }
  });

  it('an idempotent producer gets a producer id, and its batches pass the broker\'s sequence checks', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'pa-idem', numPartitions: 2 }] });
    const producer = new Producer({ ...base(), idempotent: true });
    try {
      for (let i = 0; i < 4; i++) {
        await producer.send({ messages: [0, 1].flatMap((partition) => [{ topic: 'pa-idem', partition, value: Buffer.from(`m${i}-${partition}`) }, { topic: 'pa-idem', partition, value: Buffer.from(`n${i}-${partition}`) }]) });
      }
      expect(producer.producerId).toBeGreaterThanOrEqual(0n);
    } finally {
      await producer.close();
    }
    for (const partition of [0, 1]) {
      const read = await readBack('pa-idem', partition, 8);
      expect(read.map((r) => [r.offset, r.value?.toString()])).toEqual([0, 1, 2, 3].flatMap((i) => [[i * 2, `m${i}-${partition}`], [i * 2 + 1, `n${i}-${partition}`]]));
    }
  });
});
