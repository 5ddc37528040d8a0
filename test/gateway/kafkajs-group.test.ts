/** kafkajs 2.2.4's consumer through the gateway: a classic group (JoinGroup/SyncGroup/Heartbeat/LeaveGroup, offsets). */
import { Kafka, logLevel, type Consumer, type EachMessagePayload } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { membersView, offsetsView } from '../../bin/cli/groups.js';
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

  it('two members share the partitions, rebalance when one joins and when one leaves, and every record is read', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'shared', numPartitions: 4 }] });
    await produce('shared', 8);
    const seen = new Set<string>();
    const owned = new Map<string, number[]>();
    const start = async (name: string): Promise<Consumer> => {
      const consumer = consumerOf('g-shared');
      consumer.on(consumer.events.GROUP_JOIN, (e) => void owned.set(name, e.payload.memberAssignment['shared'] ?? []));
      await consumer.connect();
      await consumer.subscribe({ topic: 'shared', fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }: EachMessagePayload) => void seen.add(message.value!.toString()) });
      return consumer;
    };
    const a = await start('a');
    await until(() => owned.get('a')?.length === 4 && seen.size === 8);
    const b = await start('b');
    await until(() => (owned.get('a')?.length ?? 0) > 0 && (owned.get('b')?.length ?? 0) > 0 && owned.get('a')!.length + owned.get('b')!.length === 4);
    expect([...owned.get('a')!, ...owned.get('b')!].sort()).toEqual([0, 1, 2, 3]);
    await produce('shared', 8, 8);
    await until(() => seen.size === 16);

    const describe = async () => (await t.native.kafkaless.admin().describeGroups(['g-shared'])).groups[0]!;
    await until(async () => (await describe()).partitions.reduce((sum, p) => sum + (p.committedOffset ?? 0), 0) === 16);
    const group = await describe();
    expect(group.members).toHaveLength(2);
    expect(group).toMatchObject({ state: 'Stable', type: 'classic', protocolType: 'consumer', protocol: 'RoundRobinAssigner' });
    expect(group.members.map((m) => [m.clientId, m.subscribedTopics])).toEqual([['group-test', ['shared']], ['group-test', ['shared']]]);
    const owners = new Map(group.members.map((m) => [m.memberId, m.assignment.flatMap((t) => t.partitions)]));
    expect(group.partitions.map((p) => [p.partition, owners.get(p.memberId ?? '')?.includes(p.partition)])).toEqual([[0, true], [1, true], [2, true], [3, true]]);
    // What `kafkaless groups describe` prints for it: every partition with its committed offset and owner, and both members.
    const printed = offsetsView(group).text;
    expect(printed.split('\n')[0]).toBe(`Group g-shared is Stable (classic protocol, assignor RoundRobinAssigner, generation ${group.groupEpoch}, 2 member(s)).`);
    for (const p of group.partitions) expect(printed).toMatch(new RegExp(`g-shared\\s+shared\\s+${p.partition}\\s+${p.committedOffset}\\s+\\d+\\s+\\d+\\s+${p.memberId}`));
    expect(membersView(group, false).text.split('\n').filter((l) => l.includes('group-test'))).toHaveLength(2);

    await b.disconnect();
    await until(() => owned.get('a')?.length === 4);
    await produce('shared', 4, 16);
    await until(() => seen.size === 20);
    expect([...seen].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`).sort());
    await a.disconnect();

    const after = await t.native.kafkaless.admin().describeGroups(['g-shared']);
    expect(after.groups[0]!.state).toBe('Empty');
    const committed = after.groups[0]!.partitions.reduce((sum, p) => sum + (p.committedOffset ?? 0), 0);
    expect(committed).toBe(20);
  });
});
