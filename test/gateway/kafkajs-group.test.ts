/** kafkajs 2.2.4's consumer through the gateway: a classic group (JoinGroup/SyncGroup/Heartbeat/LeaveGroup, offsets). */
import { Kafka, logLevel, type Consumer, type EachMessagePayload } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
let kafka: Kafka;

beforeAll(async () => {
  t = await createTestGateway();
  kafka = new Kafka({ clientId: 'group-test', brokers: [t.broker], logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 100 } });
});
afterAll(async () => t.close());

async function produce(topic: string, count: number, from = 0): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: `v${from + i}` })) });
  await producer.disconnect();
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 100));
}

function consumerOf(groupId: string): Consumer {
  return kafka.consumer({ groupId, sessionTimeout: 6000, rebalanceTimeout: 4000, heartbeatInterval: 300, maxWaitTimeInMs: 200 });
}

describe('a kafkajs consumer group through the gateway', () => {
  it('one member reads every record, commits, and a restarted consumer resumes from the committed offset', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'single', numPartitions: 2 }] });
    await produce('single', 6);
    const seen: string[] = [];
    const consumer = consumerOf('g-single');
    await consumer.connect();
    await consumer.subscribe({ topic: 'single', fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }: EachMessagePayload) => void seen.push(message.value!.toString()) });
    await until(() => seen.length >= 6);
    await consumer.disconnect();
    expect(seen.sort()).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5']);

    const admin = kafka.admin();
    await admin.connect();
    const committed = await admin.fetchOffsets({ groupId: 'g-single', topics: ['single'] });
    const total = committed[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    expect(total).toBe(6);
    await admin.disconnect();

    await produce('single', 2, 6);
    const again: string[] = [];
    const restarted = consumerOf('g-single');
    await restarted.connect();
    await restarted.subscribe({ topic: 'single', fromBeginning: true });
    await restarted.run({ eachMessage: async ({ message }: EachMessagePayload) => void again.push(message.value!.toString()) });
    await until(() => again.length >= 2);
    await new Promise((r) => setTimeout(r, 500));
    await restarted.disconnect();
    expect(again.sort()).toEqual(['v6', 'v7']);
  });
});
