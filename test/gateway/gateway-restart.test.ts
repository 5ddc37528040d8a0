/**
 * A gateway process killed (SIGKILL) while Kafka clients work through it,
 * then started again on the same port: the clients carry on, and nothing
 * they were told was written is lost or written twice.
 */
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../lib/local/free-port.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { gatewayRoot, removeGatewayRoot, startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

const TOPIC = 'restart';
const PARTITIONS = 3;

let t: TestKafkaless;
let root: string;
let port: number;
let gateway: GatewayProcess;

beforeAll(async () => {
  t = await createTestKafkaless();
  await t.kafkaless.admin().createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
  root = gatewayRoot(t);
  port = await findFreePort();
  gateway = await startGatewayProcess(root, port);
});

afterAll(async () => {
  await gateway.stop('SIGTERM');
  removeGatewayRoot(root);
  await t.close();
});

function kafkaClient(): Kafka {
  return new Kafka({ clientId: 'restart-test', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 } });
}

/** Sends one record at a time, each to the partition its number names, until stopped; remembers what was acknowledged. */
function keepProducing(producer: Producer, name: string) {
  const acknowledged: string[] = [];
  let running = true;
  const done = (async () => {
    for (let n = 0; running; n += 1) {
      const value = `${name}-${n}`;
      await producer.send({ topic: TOPIC, acks: -1, messages: [{ partition: n % PARTITIONS, value }] });
      acknowledged.push(value);
    }
  })();
  return { acknowledged, stop: async () => { running = false; await done; } };
}

async function untilCount(values: readonly string[], count: number): Promise<void> {
  while (values.length < count) await new Promise((r) => setTimeout(r, 20));
}

async function readAllNatively(): Promise<string[]> {
  const ends = await t.kafkaless.admin().fetchTopicOffsets(TOPIC);
  const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
  consumer.assign(ends.map((e) => ({ topic: TOPIC, partition: e.partition })));
  const total = ends.reduce((sum, e) => sum + Number(e.high), 0);
  const values: string[] = [];
  while (values.length < total) values.push(...(await consumer.poll({ timeoutMs: 100 })).map((r) => r.value!.toString()));
  await consumer.disconnect();
  return values;
}

describe('a gateway killed and restarted under load', () => {
  it('loses no acknowledged record and writes none twice; idempotent producers carry on', async () => {
    const kafka = kafkaClient();
    const producers = ['a', 'b', 'c'].map((name) => ({ name, producer: kafka.producer({ idempotent: true, maxInFlightRequests: 1 }) }));
    await Promise.all(producers.map((p) => p.producer.connect()));
    const work = producers.map((p) => ({ ...p, ...keepProducing(p.producer, p.name) }));
    await Promise.all(work.map((w) => untilCount(w.acknowledged, 20)));
    // Each producer has a request in flight when the process dies.
    expect(await gateway.stop('SIGKILL')).toBeNull();
    const atKill = work.map((w) => w.acknowledged.length);
    gateway = await startGatewayProcess(root, port);
    await Promise.all(work.map((w, k) => untilCount(w.acknowledged, atKill[k]! + 20)));
    await Promise.all(work.map((w) => w.stop()));
    await Promise.all(producers.map((p) => p.producer.disconnect()));

    const stored = await readAllNatively();
    expect(stored.length - new Set(stored).size).toBe(0);
    const storedSet = new Set(stored);
    for (const w of work) {
      expect(w.acknowledged.filter((v) => !storedSet.has(v))).toEqual([]);
      // Per partition, each producer's records are stored in the order it sent them.
      const mine = stored.filter((v) => v.startsWith(`${w.name}-`)).map((v) => Number(v.slice(w.name.length + 1)));
      for (let p = 0; p < PARTITIONS; p += 1) {
        const inPartition = mine.filter((n) => n % PARTITIONS === p);
        expect(inPartition).toEqual([...inPartition].sort((x, y) => x - y));
      }
    }
  });
});
