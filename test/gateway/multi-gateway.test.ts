/**
 * Several gateways over one set of tables and bucket, each with broker
 * functions of its own (as separate processes would have): a producer moving
 * between them, a reader continuing on another, topics, and Metadata.
 */
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKcat } from '../support/kcat.js';
import { API_KEYS, decodeResponse } from '../../lib/wire/index.js';
import { createTestGateway, type StartedGateway, type TestGateway } from '../support/gateway.js';
import { readNatively } from '../support/read-natively.js';
import { SwitchProxy, type Upstream } from '../support/switch-proxy.js';

let t: TestGateway;
let b: StartedGateway;

beforeAll(async () => {
  t = await createTestGateway();
  b = await t.another();
});
afterAll(async () => t.close());

const kafkaAt = (broker: string) =>
  new Kafka({ clientId: 'multi-gateway-test', brokers: [broker], logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 50 } });

const upstreamOf = (g: StartedGateway): Upstream => ({ host: g.gateway.host, port: g.gateway.port });

const kcat = (broker: string, args: readonly string[]): Promise<string> => runKcat(broker, args);

interface KcatRecord {
  readonly offset: number;
  readonly payload: string | null;
}

const kcatRecords = (out: string): KcatRecord[] =>
  out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as KcatRecord);

/** The partition's records, and nothing past them. */
async function readBack(topic: string, count: number) {
  const read = await readNatively(t.native.kafkaless, topic, 0, count);
  expect((await t.native.kafkaless.admin().fetchTopicOffsets(topic)).find((p) => p.partition === 0)?.high).toBe(String(count));
  return read;
}

async function sendEach(producer: Producer, topic: string, from: number, to: number): Promise<string[]> {
  const baseOffsets: string[] = [];
  for (let i = from; i < to; i++) {
    const [meta] = await producer.send({ topic, acks: -1, messages: [{ key: `k${i}`, value: `v${i}` }] });
    baseOffsets.push(meta!.baseOffset!);
  }
  return baseOffsets;
}

describe('several gateways over one stack', () => {
  it('each names itself in Metadata as the only broker, leader of every partition', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'named', numPartitions: 2 }] });
    for (const g of [t, b]) {
      const meta = JSON.parse(await kcat(g.broker, ['-L', '-J'])) as { brokers: { id: number; name: string }[]; topics: { topic: string; partitions: { leader: number }[] }[] };
      expect(meta.brokers).toEqual([{ id: 0, name: g.broker }]);
      expect(meta.topics.find((x) => x.topic === 'named')?.partitions.map((p) => p.leader)).toEqual([0, 0]);
    }
    expect(t.broker).not.toEqual(b.broker);
  });

  it('a topic created through one is visible and writable through the other at once; once deleted, neither lists it nor writes to it', async () => {
    const adminA = kafkaAt(t.broker).admin();
    const adminB = kafkaAt(b.broker).admin();
    await Promise.all([adminA.connect(), adminB.connect()]);
    const producerB = kafkaAt(b.broker).producer({ allowAutoTopicCreation: false });
    await producerB.connect();
    try {
      await expect(adminB.fetchTopicMetadata({ topics: ['seen'] })).rejects.toThrow(/does not host this topic-partition/);
      expect(await adminA.createTopics({ topics: [{ topic: 'seen', numPartitions: 3 }] })).toBe(true);
      const meta = await adminB.fetchTopicMetadata({ topics: ['seen'] });
      expect(meta.topics[0]!.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
      expect(await adminB.listTopics()).toContain('seen');
      await expect(adminB.createTopics({ topics: [{ topic: 'seen' }] })).resolves.toBe(false);
      await producerB.send({ topic: 'seen', messages: [{ value: 'through-b', partition: 0 }] });
      expect((await readBack('seen', 1)).map((r) => r.value?.toString())).toEqual(['through-b']);

      await adminA.deleteTopics({ topics: ['seen'] });
      expect(await adminA.listTopics()).not.toContain('seen');
      expect(await adminB.listTopics()).not.toContain('seen');
      await expect(producerB.send({ topic: 'seen', messages: [{ value: 'after-delete', partition: 0 }] })).rejects.toThrow();
      expect(await t.native.kafkaless.admin().listTopics()).not.toContain('seen');
    } finally {
      await Promise.all([adminA.disconnect(), adminB.disconnect(), producerB.disconnect()]);
    }
  });

  it('an idempotent producer moved between gateways keeps its sequences, and a batch retried on the other is written once', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'moving', numPartitions: 1 }] });
    const proxy = await SwitchProxy.start();
    const behind = { advertisedHost: proxy.host, advertisedPort: proxy.port };
    const [p1, p2] = await Promise.all([t.another(behind), t.another(behind)]);
    proxy.routeTo(upstreamOf(p1));
    const producer = kafkaAt(`${proxy.host}:${proxy.port}`).producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const offsets = await sendEach(producer, 'moving', 0, 5);
      // The next batch is written by p1, its answer lost; the producer retries it through p2.
      proxy.failOver(upstreamOf(p2));
      offsets.push(...(await sendEach(producer, 'moving', 5, 10)));
      // The lost answer was p1's to that Produce: written at offset 5, as p2 answered the retry.
      expect(proxy.lostAnswers.map((a) => a.request.apiKey)).toEqual([API_KEYS.Produce]);
      const [lost] = proxy.lostAnswers;
      const answered = decodeResponse(API_KEYS.Produce, lost!.request.apiVersion, lost!.payload).body;
      expect(answered.responses.flatMap((r) => r.partitionResponses.map((p) => [r.name, p.index, p.errorCode, p.baseOffset]))).toEqual([['moving', 0, 0, 5n]]);
      // Back to p1, between batches.
      proxy.switchTo(upstreamOf(p1));
      offsets.push(...(await sendEach(producer, 'moving', 10, 15)));
      expect(offsets).toEqual(Array.from({ length: 15 }, (_, i) => String(i)));
      expect(proxy.connectionsTo.get(`${p2.gateway.host}:${p2.gateway.port}`)).toBeGreaterThan(0);
      expect(proxy.connectionsTo.get(`${p1.gateway.host}:${p1.gateway.port}`)).toBeGreaterThan(1);
    } finally {
      await producer.disconnect();
      await proxy.close();
    }
    const read = await readBack('moving', 15);
    expect(read.map((r) => [r.offset, r.key?.toString(), r.value?.toString()])).toEqual(Array.from({ length: 15 }, (_, i) => [i, `k${i}`, `v${i}`]));
  });

  it('a reader that continues on the other gateway at the same offset sees one gapless sequence', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'relay', numPartitions: 1 }] });
    const producerA = kafkaAt(t.broker).producer({ idempotent: true, maxInFlightRequests: 1 });
    const producerB = kafkaAt(b.broker).producer();
    await Promise.all([producerA.connect(), producerB.connect()]);
    try {
      await producerA.send({ topic: 'relay', messages: Array.from({ length: 20 }, (_, i) => ({ value: `r${i}` })) });
      const first = kcatRecords(await kcat(t.broker, ['-C', '-t', 'relay', '-p', '0', '-o', 'beginning', '-c', '15', '-J']));
      for (let i = 20; i < 40; i += 5) {
        await producerB.send({ topic: 'relay', messages: Array.from({ length: 5 }, (_, j) => ({ value: `r${i + j}` })) });
      }
      const rest = kcatRecords(await kcat(b.broker, ['-C', '-t', 'relay', '-p', '0', '-o', String(first.length), '-e', '-J']));
      expect([...first, ...rest].map((r) => [r.offset, r.payload])).toEqual(Array.from({ length: 40 }, (_, i) => [i, `r${i}`]));
    } finally {
      await Promise.all([producerA.disconnect(), producerB.disconnect()]);
    }
  });
});
