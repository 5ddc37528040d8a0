/**
 * @platformatic/kafka 1.35.0 through the gateway: its `consume()` in a
 * classic consumer group (JoinGroup/SyncGroup/Heartbeat/LeaveGroup,
 * OffsetCommit/OffsetFetch) and its transactional producer.
 */
import { Consumer, Producer, type Message, type MessagesStream } from '@platformatic/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { kcatValues } from '../support/kcat.js';
import { committedOffsets, createGroup } from '../transactions/helpers.js';

let t: TestGateway;

beforeAll(async () => {
  t = await createTestGateway();
});
afterAll(async () => t.close());

const base = () => ({ clientId: 'platformatic-groups', bootstrapBrokers: [t.broker], retries: 5, retryDelay: 100 });

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 100));
}

/** Natively writes `v<from>`.. `v<from+count-1>`, record i to partition i % partitions. */
async function produce(topic: string, partitions: number, count: number, from: number): Promise<void> {
  const producer = t.native.kafkaless.producer({ 'linger.ms': 0 });
  await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ partition: (from + i) % partitions, value: `v${from + i}` })) });
  await producer.disconnect();
}

interface Read {
  readonly member: string;
  readonly partition: number;
  readonly value: string;
  /** The partitions the member owned when the record was handed to it. */
  readonly owned: readonly number[];
}

/** A group member: its `consume()` stream, each message committed once read. */
async function member(name: string, groupId: string, topic: string, read: Read[]): Promise<{ consumer: Consumer; close: () => Promise<void> }> {
  const consumer = new Consumer({ ...base(), groupId, sessionTimeout: 6000, rebalanceTimeout: 6000, heartbeatInterval: 300, maxWaitTime: 200 });
  const stream = await consumer.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest', autocommit: false });
  stream.on('data', (message: Message) => {
    read.push({ member: name, partition: message.partition, value: message.value.toString(), owned: owned(consumer, topic) });
    void message.commit();
  });
  return { consumer, close: () => leave(consumer, stream) };
}

/** Ends the stream, then the consumer, which leaves the group (LeaveGroup). */
async function leave(consumer: Consumer, stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>): Promise<void> {
  await stream.close();
  await consumer.close();
}

const owned = (consumer: Consumer, topic: string) => (consumer.assignments ?? []).filter((a) => a.topic === topic).flatMap((a) => a.partitions).sort();
const values = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `v${from + i}`).sort();
const sumOf = (offsets: Map<number, number>) => [...offsets.values()].reduce((sum, o) => sum + o, 0);

describe('@platformatic/kafka consumer groups through the gateway', () => {
  it('two members split the partitions, the survivor of a leave gets them all, every record is read, and a restart resumes after the committed offsets', async () => {
    const topic = 'pg-shared';
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic, numPartitions: 4 }] });
    await produce(topic, 4, 8, 0);
    const read: Read[] = [];

    const a = await member('a', 'pg-group', topic, read);
    await until(() => owned(a.consumer, topic).length === 4 && read.length === 8);
    expect(read.map((r) => r.value).sort()).toEqual(values(0, 8));
    await until(async () => sumOf(await committedOffsets(t.native.kafkaless, 'pg-group', topic)) === 8);

    const b = await member('b', 'pg-group', topic, read);
    await until(() => owned(a.consumer, topic).length > 0 && owned(b.consumer, topic).length > 0 && owned(a.consumer, topic).length + owned(b.consumer, topic).length === 4);
    const ofA = owned(a.consumer, topic);
    const ofB = owned(b.consumer, topic);
    expect([...ofA, ...ofB].sort()).toEqual([0, 1, 2, 3]);
    const splitAt = read.length;
    await produce(topic, 4, 8, 8);
    await until(() => read.length === 16);
    const afterSplit = read.slice(splitAt);
    expect(afterSplit.map((r) => r.value).sort()).toEqual(values(8, 16));
    // Each record came from a partition its reader owned then (a later rebalance may move partitions again).
    for (const r of afterSplit) expect(r.owned).toContain(r.partition);
    expect(new Set(afterSplit.map((r) => r.member))).toEqual(new Set(['a', 'b']));
    // b's commits land before it leaves, so the survivor resumes after them and reads nothing twice.
    await until(async () => sumOf(await committedOffsets(t.native.kafkaless, 'pg-group', topic)) === 16);

    await b.close();
    await until(() => owned(a.consumer, topic).length === 4);
    const leftAt = read.length;
    await produce(topic, 4, 4, 16);
    await until(() => read.length === 20);
    expect(read.slice(leftAt).map((r) => [r.member, r.value]).sort()).toEqual(values(16, 20).map((v) => ['a', v]));
    expect(read.map((r) => r.value).sort()).toEqual(values(0, 20));

    await until(async () => sumOf(await committedOffsets(t.native.kafkaless, 'pg-group', topic)) === 20);
    expect([...(await committedOffsets(t.native.kafkaless, 'pg-group', topic)).entries()].sort()).toEqual([[0, 5], [1, 5], [2, 5], [3, 5]]);
    await a.close();

    await produce(topic, 4, 4, 20);
    const again: Read[] = [];
    const c = await member('c', 'pg-group', topic, again);
    await until(() => again.length >= 4);
    expect(again.map((r) => r.value).sort()).toEqual(values(20, 24));
    await until(async () => sumOf(await committedOffsets(t.native.kafkaless, 'pg-group', topic)) === 24);
    await c.close();
    expect(again).toHaveLength(4);
  });
});

describe('@platformatic/kafka transactional producer through the gateway', () => {
  it('commits one transaction and aborts another across two partitions: read_committed sees the committed records exactly once, never the aborted', async () => {
    const topic = 'pt-out';
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic, numPartitions: 2 }] });
    const producer = new Producer({ ...base(), transactionalId: 'pt-commit-abort', idempotent: true });
    try {
      const committed = await producer.beginTransaction();
      await committed.send({ messages: [{ topic, partition: 0, value: Buffer.from('c0') }, { topic, partition: 1, value: Buffer.from('c1') }, { topic, partition: 0, value: Buffer.from('c0b') }] });
      expect(await kcatValues(t.broker, topic, 'read_committed')).toEqual([]);
      await committed.commit();

      const aborted = await producer.beginTransaction();
      await aborted.send({ messages: [{ topic, partition: 0, value: Buffer.from('a0') }, { topic, partition: 1, value: Buffer.from('a1') }] });
      await aborted.abort();

      const again = await producer.beginTransaction();
      await again.send({ messages: [{ topic, partition: 1, value: Buffer.from('c1b') }] });
      await again.commit();
    } finally {
      await producer.close();
    }
    expect(await kcatValues(t.broker, topic, 'read_committed')).toEqual(['0:c0', '0:c0b', '1:c1', '1:c1b']);
  });

  it('commits a consumed message\'s offset with the transaction (AddOffsetsToTxn, TxnOffsetCommit): the group\'s offset moves only at commit, never after abort', async () => {
    const input = 'pt-in';
    const out = 'pt-offsets-out';
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: input, numPartitions: 1 }, { topic: out, numPartitions: 1 }] });
    await produce(input, 1, 3, 0);
    await createGroup(t.native.kafkaless, 'pt-group', input, 1);
    const read: Message[] = [];
    const consumer = new Consumer({ ...base(), groupId: 'pt-group', sessionTimeout: 6000, rebalanceTimeout: 6000, heartbeatInterval: 300, maxWaitTime: 200 });
    const producer = new Producer({ ...base(), transactionalId: 'pt-offsets', idempotent: true });
    const stream = await consumer.consume({ topics: [input], mode: 'committed', fallbackMode: 'earliest', autocommit: false });
    try {
      stream.on('data', (m: Message) => void read.push(m));
      await until(() => read.length === 3);
      const offset = () => committedOffsets(t.native.kafkaless, 'pt-group', input).then((m) => m.get(0));

      const aborted = await producer.beginTransaction();
      await aborted.send({ messages: [{ topic: out, value: Buffer.from('dropped') }] });
      await aborted.addConsumer(consumer);
      await aborted.addOffset(read[2]!);
      await aborted.abort();
      expect(await offset()).toBe(0);

      const committed = await producer.beginTransaction();
      await committed.send({ messages: [{ topic: out, value: Buffer.from(`from-${read[1]!.value.toString()}`) }] });
      await committed.addConsumer(consumer);
      await committed.addOffset(read[1]!);
      expect(await offset()).toBe(0);
      await committed.commit();
      expect(await offset()).toBe(2);
    } finally {
      await producer.close();
      await leave(consumer, stream);
    }
    expect(await kcatValues(t.broker, out, 'read_committed')).toEqual(['0:from-v1']);
  });
});
