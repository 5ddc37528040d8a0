/** A group commits only what it handed over: what eachMessage finished, eachBatch resolved, or poll returned; a seek back is committed as it is. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumerRecord } from '../../lib/client/consumer/consumer.js';
import type { FunctionRole } from '../../lib/names.js';
import { Kafkaless } from '../../lib/client/kafkaless.js';
import type { InvokeOptions, Transport } from '../../lib/client/transport.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { createTopicWithRecords } from '../support/topic-with-records.js';
import { waitFor } from './wait-for.js';
import { committedOffsetsOf } from '../../lib/client/admin-groups.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

/** Keeps every commit request sent. */
class RecordingTransport implements Transport {
  readonly commits: { offsets: { partition: number; offset: number }[] }[] = [];
  constructor(private readonly inner: Transport) {}
  async invoke(role: FunctionRole, request: object, options?: InvokeOptions): Promise<unknown> {
    if ((request as { action?: string }).action === 'commitOffsets') this.commits.push(request as { offsets: { partition: number; offset: number }[] });
    return this.inner.invoke(role, request, options);
  }
  async close(): Promise<void> {}
}

const topicWith = (topic: string, records: number, partitions = 1) => createTopicWithRecords(t.kafkaless, topic, partitions, records);

async function committed(groupId: string): Promise<number[]> {
  return committedOffsetsOf(await t.kafkaless.admin().fetchOffsets({ groupId })).map((o) => o.offset);
}

describe('what a group commits', () => {
  it('commits after the record whose eachMessage called stop(), not the records buffered after it', async () => {
    await topicWith('stop-inside', 20);
    const consumer = t.kafkaless.consumer({ 'group.id': 'stop-inside-group', 'auto.offset.reset': 'earliest' });
    consumer.subscribe({ topic: 'stop-inside' });
    const events: string[] = [];
    const commits: unknown[] = [];
    for (const type of [consumer.events.GROUP_JOIN, consumer.events.REBALANCING, consumer.events.STOP]) consumer.on(type, (e) => void events.push(e.type));
    consumer.on(consumer.events.COMMIT_OFFSETS, ({ payload }) => void commits.push(payload.topics));
    const seen: string[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message.offset);
        if (seen.length === 5) await consumer.stop();
      },
    });
    await waitFor(() => seen.length >= 5, 'five records');
    await consumer.disconnect();
    expect(seen).toEqual(['0', '1', '2', '3', '4']);
    expect(await committed('stop-inside-group')).toEqual([5]);
    expect(events).toEqual(['consumer.group_join', 'consumer.rebalancing', 'consumer.stop']);
    expect(commits.at(-1)).toEqual([{ topic: 'stop-inside', partitions: [{ partition: 0, offset: '5' }] }]);

    const next = t.kafkaless.consumer({ 'group.id': 'stop-inside-group' });
    next.subscribe({ topic: 'stop-inside' });
    const records = await next.poll({ timeoutMs: 500, maxRecords: 1 });
    await next.disconnect();
    expect(records.map((r) => r.offset)).toEqual([5]);
    expect(await committed('stop-inside-group')).toEqual([6]);
  });

  it('in poll mode commits only the records poll returned (maxRecords keeps the rest buffered, uncommitted)', async () => {
    await topicWith('poll-max', 30, 2);
    const consumer = t.kafkaless.consumer({ 'group.id': 'poll-max-group', 'auto.offset.reset': 'earliest', 'enable.auto.commit': false });
    consumer.subscribe({ topic: 'poll-max' });
    const got: ConsumerRecord[] = [];
    while (got.length < 7) got.push(...(await consumer.poll({ timeoutMs: 200, maxRecords: 7 - got.length })));
    await consumer.commitSync();
    await consumer.disconnect();
    expect(got).toHaveLength(7);
    const expected = [0, 1].map((p) => got.filter((r) => r.partition === p).reduce((next, r) => Math.max(next, r.offset + 1), 0)).filter((o) => o > 0);
    expect((await committed('poll-max-group')).filter((o) => o > 0)).toEqual(expected);
    expect(expected.reduce((a, b) => a + b, 0)).toBe(7);
  });

  it('sends a lower offset after a seek back, as it is', async () => {
    await topicWith('seek-back', 10);
    const link = new RecordingTransport(t.transport);
    const consumer = new Kafkaless({ transport: link }).consumer({ 'group.id': 'seek-back-group', 'auto.offset.reset': 'earliest', 'enable.auto.commit': false });
    consumer.subscribe({ topic: 'seek-back' });
    let got = 0;
    while (got < 10) got += (await consumer.poll({ timeoutMs: 200 })).length;
    await consumer.commitSync();
    consumer.seek({ topic: 'seek-back', partition: 0, offset: 4 });
    await consumer.commitSync();
    await consumer.commitSync([{ topic: 'seek-back', partition: 0, offset: 2 }]);
    await consumer.disconnect();
    expect(link.commits.map((c) => c.offsets.map((o) => o.offset))).toEqual([[10], [4], [2]]);
  });
});

describe('seeking by time', () => {
  it('seeks to a timestamp and answers offsetsForTimes, beginningOffsets and endOffsets', async () => {
    await t.kafkaless.admin().createTopics({ topics: [{ topic: 'timed', numPartitions: 1 }] });
    const producer = t.kafkaless.producer({ 'linger.ms': 0 });
    const base = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 5; i++) await producer.send({ topic: 'timed', messages: [{ value: `t${i}`, timestamp: base + i * 1000 }] });
    await producer.disconnect();
    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    const tp = { topic: 'timed', partition: 0 };
    expect(await consumer.offsetsForTimes([{ ...tp, timestamp: base + 2500 }, { ...tp, timestamp: base + 99_000 }])).toEqual([
      { ...tp, offset: 3, timestamp: base + 3000 },
      { ...tp, offset: null, timestamp: null },
    ]);
    expect(await consumer.beginningOffsets([tp])).toEqual([{ ...tp, offset: 0 }]);
    expect(await consumer.endOffsets([tp])).toEqual([{ ...tp, offset: 5 }]);
    consumer.assign([tp]);
    await consumer.seekToTimestamp([tp], new Date(base + 1000).toISOString());
    expect((await consumer.poll({ timeoutMs: 200 })).map((r) => r.value!.toString())).toEqual(['t1', 't2', 't3', 't4']);
    await consumer.seekToTimestamp([tp], base + 99_000);
    expect(await consumer.position(tp)).toBe(5);
    await expect(consumer.seekToTimestamp([tp], 'yesterday')).rejects.toMatchObject({ code: 'InvalidTimestamp' });
  });
});
