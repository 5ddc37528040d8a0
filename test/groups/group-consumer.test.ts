import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { committedOffsetsOf } from '../../lib/client/admin-groups.js';
import type { TopicPartition } from '../../lib/client/consumer/consumer.js';
import type { GroupConsumer } from '../../lib/client/consumer/group-consumer.js';
import { Producer } from '../../lib/client/producer/producer.js';
import { Kafkaless } from '../../lib/client/kafkaless.js';
import type { Transport } from '../../lib/client/transport.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { CuttableTransport } from './cuttable-transport.js';
import { waitFor } from './wait-for.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

const key = (tp: TopicPartition) => `${tp.topic}:${tp.partition}`;

/** Partitions held by two live (not cut) members' clients at this moment. */
function doubleHeld(members: readonly Member[]): string[] {
  const owners = new Map<string, string>();
  const found: string[] = [];
  for (const m of members) {
    if (m.link.cut) continue;
    for (const tp of m.consumer.assignment()) {
      const other = owners.get(key(tp));
      if (other !== undefined) found.push(`${key(tp)} held by ${other} and ${m.name}`);
      owners.set(key(tp), m.name);
    }
  }
  return found;
}

interface Member {
  readonly name: string;
  readonly consumer: GroupConsumer;
  readonly link: CuttableTransport;
}

function startMember(name: string, groupId: string, topic: string, onRecord: (partition: number, offset: number) => void, transport: Transport = t.transport): Member {
  const link = new CuttableTransport(transport);
  const consumer = new Kafkaless({ transport: link }).consumer({
    'group.id': groupId,
    'session.timeout.ms': 1_500,
    'auto.commit.interval.ms': 100,
    'fetch.max.wait.ms': 50,
  });
  consumer.subscribe({ topic, fromBeginning: true });
  void consumer.run({
    eachMessage: async ({ partition, message }) => onRecord(partition, Number(message.offset)),
  });
  return { name, consumer, link };
}

describe('the group consumer', () => {
  it('consumes a topic from the beginning, commits what it processed, and leaves', async () => {
    await t.kafkaless.admin().createTopics({ topics: [{ topic: 'simple', numPartitions: 3 }] });
    const producer = new Producer(t.transport, {});
    await producer.send({ topic: 'simple', messages: Array.from({ length: 30 }, (_, i) => ({ value: `v${i}`, partition: i % 3 })) });
    await producer.disconnect();
    const seen: string[] = [];
    const consumer = t.kafkaless.consumer({ groupId: 'simple-group', 'auto.commit.interval.ms': 0 });
    consumer.subscribe({ topics: ['simple'], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
    await waitFor(() => seen.length === 30, 'all 30 records');
    await consumer.disconnect();
    expect(new Set(seen).size).toBe(30);
    const offsets = committedOffsetsOf(await t.kafkaless.admin().fetchOffsets({ groupId: 'simple-group' }));
    expect(offsets.map((o) => [o.partition, o.offset])).toEqual([
      [0, 10],
      [1, 10],
      [2, 10],
    ]);
    const [described] = (await t.kafkaless.admin().describeGroups(['simple-group'])).groups;
    expect(described).toMatchObject({ state: 'Empty', members: [] });
    expect(described!.partitions.map((p) => p.lag)).toEqual([0, 0, 0]);
  });

  it('polls in a Java-style loop and resumes after a restart from the committed offsets', async () => {
    await t.kafkaless.admin().createTopics({ topics: [{ topic: 'polled', numPartitions: 2 }] });
    const producer = new Producer(t.transport, {});
    await producer.send({ topic: 'polled', messages: Array.from({ length: 10 }, (_, i) => ({ value: `a${i}`, partition: i % 2 })) });
    const first = t.kafkaless.consumer({ 'group.id': 'polled-group', 'enable.auto.commit': false, 'auto.offset.reset': 'earliest' });
    first.subscribe({ topic: 'polled' });
    const got: string[] = [];
    while (got.length < 10) got.push(...(await first.poll({ timeoutMs: 100 })).map((r) => r.value!.toString()));
    await first.commitSync();
    expect((await first.committed()).map((o) => o.offset)).toEqual([5, 5]);
    await first.disconnect();

    await producer.send({ topic: 'polled', messages: Array.from({ length: 4 }, (_, i) => ({ value: `b${i}`, partition: i % 2 })) });
    await producer.disconnect();
    const second = t.kafkaless.consumer({ 'group.id': 'polled-group', 'auto.offset.reset': 'earliest' });
    second.subscribe({ topic: 'polled' });
    const later: string[] = [];
    while (later.length < 4) later.push(...(await second.poll({ timeoutMs: 100 })).map((r) => r.value!.toString()));
    await second.disconnect();
    expect(later.sort()).toEqual(['b0', 'b1', 'b2', 'b3']);
  });

  it('processes every record at least once while members join, leave and die, never giving a partition to two members', async () => {
    const topic = 'load';
    const groupId = 'load-group';
    await t.kafkaless.admin().createTopics({ topics: [{ topic, numPartitions: 12 }] });
    const processed = new Set<string>();
    const onRecord = (partition: number, offset: number) => void processed.add(`${partition}:${offset}`);
    const members: Member[] = [];
    const violations: string[] = [];
    const sampler = setInterval(() => violations.push(...doubleHeld(members)), 10);
    const coordinatorViews: string[] = [];
    const checkCoordinator = async () => {
      const [group] = (await t.kafkaless.admin().describeGroups([groupId])).groups;
      const owners = new Map<string, string>();
      for (const m of group!.members) {
        for (const tp of [...m.assignment, ...m.revoking].flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })))) {
          if (owners.has(key(tp))) coordinatorViews.push(`${key(tp)} owned by ${owners.get(key(tp))} and ${m.memberId}`);
          owners.set(key(tp), m.memberId);
        }
      }
    };

    try {
      for (const name of ['c1', 'c2', 'c3']) members.push(startMember(name, groupId, topic, onRecord));
      const held = () => members.filter((m) => !m.link.cut).reduce((n, m) => n + m.consumer.assignment().length, 0);
      await waitFor(() => held() === 12, 'the three members to hold all 12 partitions');

      const producer = new Producer(t.transport, { 'linger.ms': 2 });
      const produced: string[] = [];
      const produce = async (rounds: number) => {
        for (let i = 0; i < rounds; i++) {
          const sent = await producer.send({ topic, messages: Array.from({ length: 12 }, (_, p) => ({ value: `r${i}p${p}`, partition: p })) });
          produced.push(...sent.map((r) => `${r.partition}:${r.offset}`));
          await checkCoordinator();
        }
      };
      await produce(8);
      members.push(startMember('c4', groupId, topic, onRecord));
      await produce(8);
      await members[1]!.consumer.disconnect();
      await produce(4);
      members[2]!.link.cut = true;
      await members[2]!.consumer.stop();
      await produce(8);
      await producer.disconnect();

      await waitFor(() => produced.every((r) => processed.has(r)), 'every produced record to be processed', 30_000);
      const survivors = [members[0]!, members[3]!];
      await waitFor(() => survivors.reduce((n, m) => n + m.consumer.assignment().length, 0) === 12, 'the two survivors to hold all 12 partitions');
      await checkCoordinator();
      expect(produced).toHaveLength(28 * 12);
      expect(violations).toEqual([]);
      expect(coordinatorViews).toEqual([]);
      for (const m of survivors) await m.consumer.disconnect();
      const committed = committedOffsetsOf(await t.kafkaless.admin().fetchOffsets({ groupId }));
      expect(committed.map((o) => o.offset)).toEqual(Array.from({ length: 12 }, () => 28));
    } finally {
      clearInterval(sampler);
      for (const m of members) await m.consumer.stop();
    }
  });

  it('keeps one holder per partition when a slow coordinator lets sessions lapse', async () => {
    const topic = 'slow';
    const groupId = 'slow-group';
    await t.kafkaless.admin().createTopics({ topics: [{ topic, numPartitions: 6 }] });
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const slow = { at: async () => new Promise<void>((resolve) => setTimeout(resolve, Math.floor(random() * 900))) };
    const processed = new Set<string>();
    const members: Member[] = [];
    const violations: string[] = [];
    const sampler = setInterval(() => violations.push(...doubleHeld(members)), 10);
    try {
      for (const name of ['s1', 's2', 's3']) {
        members.push(startMember(name, groupId, topic, (p, o) => void processed.add(`${p}:${o}`), t.another({ faults: slow }).transport));
      }
      const producer = new Producer(t.transport, {});
      const produced: string[] = [];
      for (let i = 0; i < 6; i++) {
        const sent = await producer.send({ topic, messages: Array.from({ length: 6 }, (_, p) => ({ value: `r${i}`, partition: p })) });
        produced.push(...sent.map((r) => `${r.partition}:${r.offset}`));
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      await producer.disconnect();
      await waitFor(() => produced.every((r) => processed.has(r)), 'every produced record to be processed', 40_000);
      expect(violations).toEqual([]);
    } finally {
      clearInterval(sampler);
      for (const m of members) await m.consumer.disconnect().catch(() => undefined);
    }
  });
});
