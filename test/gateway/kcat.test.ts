/** kcat (librdkafka) against the gateway: metadata, consuming from the beginning, producing keyed records with headers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKcat } from '../support/kcat.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;

beforeAll(async () => {
  t = await createTestGateway();
});
afterAll(async () => t.close());

const kcat = (args: readonly string[], input?: string): Promise<string> => runKcat(t.broker, args, input);

interface KcatRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly payload: string | null;
  readonly headers?: string[];
}

const parse = (out: string): KcatRecord[] =>
  out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as KcatRecord);

describe('kcat through the gateway', () => {
  it('lists the gateway as the only broker, leader of every partition', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'listed', numPartitions: 2 }] });
    const meta = JSON.parse(await kcat(['-L', '-J'])) as {
      brokers: { id: number; name: string }[];
      topics: { topic: string; partitions: { partition: number; leader: number }[] }[];
    };
    expect(meta.brokers).toEqual([{ id: 0, name: t.broker }]);
    expect(meta.topics).toEqual([{ topic: 'listed', partitions: [expect.objectContaining({ partition: 0, leader: 0 }), expect.objectContaining({ partition: 1, leader: 0 })] }]);
  });

  it('consumes natively produced records from the beginning, as sent', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'native-out', numPartitions: 1 }] });
    const producer = t.native.kafkaless.producer({ 'linger.ms': 0 });
    await producer.send({ topic: 'native-out', messages: [{ key: 'a', value: 'alpha', headers: { h: 'x' } }, { key: 'b', value: 'beta' }] });
    await producer.send({ topic: 'native-out', compression: 'gzip', messages: [{ key: 'c', value: 'gamma' }] });
    await producer.disconnect();
    const records = parse(await kcat(['-C', '-t', 'native-out', '-o', 'beginning', '-e', '-J']));
    expect(records.map((r) => [r.offset, r.key, r.payload, r.headers ?? []])).toEqual([
      [0, 'a', 'alpha', ['h', 'x']],
      [1, 'b', 'beta', []],
      [2, 'c', 'gamma', []],
    ]);
  });

  it('produces keyed records with headers that read back natively', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'from-kcat', numPartitions: 1 }] });
    await kcat(['-P', '-t', 'from-kcat', '-p', '0', '-K', ':', '-H', 'origin=kcat', '-z', 'gzip'], 'k1:v1\nk2:v2\nk3:v3\n');
    const consumer = t.native.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    consumer.assign([{ topic: 'from-kcat', partition: 0 }]);
    const read = [];
    while (read.length < 3) read.push(...(await consumer.poll({ timeoutMs: 100 })));
    await consumer.disconnect();
    expect(read.map((r) => [r.offset, r.key?.toString(), r.value?.toString(), r.headers.map((h) => [h.key, h.value?.toString()])])).toEqual([
      [0, 'k1', 'v1', [['origin', 'kcat']]],
      [1, 'k2', 'v2', [['origin', 'kcat']]],
      [2, 'k3', 'v3', [['origin', 'kcat']]],
    ]);
    const back = parse(await kcat(['-C', '-t', 'from-kcat', '-o', 'beginning', '-e', '-J']));
    expect(back.map((r) => r.payload)).toEqual(['v1', 'v2', 'v3']);
  });

  it('produces snappy, lz4 and zstd batches that read back as sent', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'codecs', numPartitions: 1 }] });
    for (const codec of ['snappy', 'lz4', 'zstd']) {
      await kcat(['-P', '-t', 'codecs', '-p', '0', '-z', codec], `${codec}-1\n${codec}-2\n`);
    }
    const back = parse(await kcat(['-C', '-t', 'codecs', '-o', 'beginning', '-e', '-J']));
    expect(back.map((r) => [r.offset, r.payload])).toEqual([
      [0, 'snappy-1'], [1, 'snappy-2'], [2, 'lz4-1'], [3, 'lz4-2'], [4, 'zstd-1'], [5, 'zstd-2'],
    ]);
  });

  it('consumes from a given offset onward (-o 2)', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'from-two', numPartitions: 1 }] });
    const producer = t.native.kafkaless.producer({ 'linger.ms': 0 });
    await producer.send({ topic: 'from-two', messages: ['r0', 'r1', 'r2', 'r3', 'r4'].map((value) => ({ value, partition: 0 })) });
    await producer.disconnect();
    const records = parse(await kcat(['-C', '-t', 'from-two', '-o', '2', '-e', '-J']));
    expect(records.map((r) => [r.offset, r.payload])).toEqual([[2, 'r2'], [3, 'r3'], [4, 'r4']]);
  });
});
