import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkalessError } from '../../lib/errors.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { committedOffsets, createGroup, createTopic, highWatermarks, readAll, registryRefs, stagedItems } from './helpers.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

const producerFor = (id: string, extra: Record<string, unknown> = {}) => t.kafkaless.producer({ 'transactional.id': id, 'linger.ms': 0, ...extra });

describe('a committed transaction', () => {
  it('makes its records in every partition and its offsets visible at once, with consecutive offsets', async () => {
    const topic = await createTopic(t.kafkaless, 'commit-out', 3);
    const input = await createTopic(t.kafkaless, 'commit-in', 1);
    await createGroup(t.kafkaless, 'commit-group', input, 1);
    const producer = producerFor('commit-1');
    const txn = await producer.transaction();
    const sent = await txn.send({ topic, messages: [0, 1, 2].flatMap((p) => [{ value: `a${p}`, partition: p }, { value: `b${p}`, partition: p }]) });
    expect(sent.every((m) => m.offset === -1)).toBe(true);
    await txn.sendOffsets({ consumerGroupId: 'commit-group', topics: [{ topic: input, partitions: [{ partition: 0, offset: '7' }] }] });
    expect(await highWatermarks(t.kafkaless, topic)).toEqual([0, 0, 0]);
    expect((await committedOffsets(t.kafkaless, 'commit-group', input)).get(0)).toBe(0);
    const ranges = await txn.commit();
    expect(ranges.map((r) => [r.partition, r.baseOffset, r.lastOffset]).sort()).toEqual([
      [0, 0, 1],
      [1, 0, 1],
      [2, 0, 1],
    ]);
    expect(await highWatermarks(t.kafkaless, topic)).toEqual([2, 2, 2]);
    expect((await committedOffsets(t.kafkaless, 'commit-group', input)).get(0)).toBe(7);
    const read = await readAll(t.kafkaless, topic);
    expect(read.map((r) => `${r.partition}:${r.offset}:${r.value}`).sort()).toEqual(['0:0:a0', '0:1:b0', '1:0:a1', '1:1:b1', '2:0:a2', '2:1:b2']);
    expect(await stagedItems(t)).toEqual([]);
  });

  it('leaves later ordinary appends after the transaction and Java-style calls work the same', async () => {
    const topic = await createTopic(t.kafkaless, 'java-style', 1);
    const producer = producerFor('java-1');
    await producer.initTransactions();
    producer.beginTransaction();
    await producer.send({ topic, messages: [{ value: 'x' }, { value: 'y' }] });
    await producer.commitTransaction();
    producer.beginTransaction();
    await producer.send({ topic, messages: [{ value: 'z' }] });
    await producer.commitTransaction();
    const plain = t.kafkaless.producer();
    const [after] = await plain.send({ topic, messages: [{ value: 'plain' }] });
    expect(after!.offset).toBe(3);
    expect((await readAll(t.kafkaless, topic)).map((r) => r.value)).toEqual(['x', 'y', 'z', 'plain']);
  });
});

describe('records still buffered at commit', () => {
  it('are flushed into the transaction and committed with it', async () => {
    const topic = await createTopic(t.kafkaless, 'buffered', 2);
    const producer = t.kafkaless.producer({ 'transactional.id': 'buffered-1', 'linger.ms': 200 });
    await producer.initTransactions();
    producer.beginTransaction();
    const pending = [0, 1, 2, 3].map((i) => producer.send({ topic, messages: [{ value: `m${i}`, partition: i % 2 }] }));
    await producer.commitTransaction();
    await Promise.all(pending);
    expect((await readAll(t.kafkaless, topic)).map((r) => r.value).sort()).toEqual(['m0', 'm1', 'm2', 'm3']);
  });
});

describe('an aborted transaction', () => {
  it('is never visible, leaves no staged items, and releases its objects (registry refs 0)', async () => {
    const topic = await createTopic(t.kafkaless, 'abort-out', 2);
    const producer = producerFor('abort-1');
    const txn = await producer.transaction();
    await txn.send({ topic, messages: [{ value: 'never', partition: 0 }, { value: 'never', partition: 1 }] });
    const staged = await stagedItems(t);
    const objects = new Set(staged.map((s) => String(s.objectKey)));
    expect(objects.size).toBe(1);
    await txn.abort();
    expect(await highWatermarks(t.kafkaless, topic)).toEqual([0, 0]);
    expect(await stagedItems(t)).toEqual([]);
    const refs = await registryRefs(t);
    for (const key of objects) expect(refs.get(key)).toBe(0);
    const next = await producer.transaction();
    await next.send({ topic, messages: [{ value: 'kept', partition: 0 }] });
    await next.commit();
    expect((await readAll(t.kafkaless, topic)).map((r) => r.value)).toEqual(['kept']);
  });
});

describe('calls out of order', () => {
  it('are InvalidTxnState and change nothing: send before begin, begin twice, commit twice, abort after commit', async () => {
    const topic = await createTopic(t.kafkaless, 'order', 1);
    const producer = producerFor('order-1');
    await expect(producer.send({ topic, messages: [{ value: 'early' }] })).rejects.toMatchObject({ code: 'InvalidTxnState' });
    expect(() => producer.beginTransaction()).toThrow(KafkalessError);
    await producer.initTransactions();
    await expect(producer.send({ topic, messages: [{ value: 'early' }] })).rejects.toMatchObject({ code: 'InvalidTxnState' });
    const txn = await producer.transaction();
    await expect(producer.transaction()).rejects.toMatchObject({ code: 'InvalidTxnState' });
    await txn.send({ topic, messages: [{ value: 'once' }] });
    await txn.commit();
    await expect(txn.commit()).rejects.toMatchObject({ code: 'InvalidTxnState' });
    await expect(txn.abort()).rejects.toMatchObject({ code: 'InvalidTxnState' });
    expect((await readAll(t.kafkaless, topic)).map((r) => r.value)).toEqual(['once']);
  });

  it('are refused by the broker too: a stale transaction number, a transactional batch outside a transaction', async () => {
    const topic = await createTopic(t.kafkaless, 'broker-order', 1);
    const producer = producerFor('broker-order-1');
    const txn = await producer.transaction();
    await txn.send({ topic, messages: [{ value: 'a' }] });
    await txn.commit();
    const { call } = await import('../../lib/client/transport.js');
    const reply = await call<{ producerId: number; producerEpoch: number; txnSeq: number }>(t.transport, 'produce', { action: 'initTransactions', transactionalId: 'broker-order-2' });
    const stale = { transactionalId: 'broker-order-2', producerId: reply.producerId, producerEpoch: reply.producerEpoch, txnSeq: reply.txnSeq + 1 };
    await expect(call(t.transport, 'produce', { action: 'endTransaction', transaction: stale, commit: true })).rejects.toMatchObject({ code: 'InvalidTxnState' });
    const { encodeRecordBatch } = await import('../../lib/log/index.js');
    const batch = await encodeRecordBatch([{ key: null, value: Buffer.from('x'), headers: [], timestamp: Date.now() }], {
      producerId: reply.producerId,
      producerEpoch: reply.producerEpoch,
      baseSequence: 0,
      isTransactional: true,
    });
    await expect(call(t.transport, 'produce', { action: 'produce', entries: [{ topic, partition: 0, batch: batch.toString('base64') }] })).rejects.toMatchObject({
      code: 'InvalidTxnState',
    });
    expect(await highWatermarks(t.kafkaless, topic)).toEqual([1]);
  });

  it('refuses offsets for an unknown group with GroupIdNotFound, staging nothing', async () => {
    const topic = await createTopic(t.kafkaless, 'no-group', 1);
    const producer = producerFor('no-group-1');
    const txn = await producer.transaction();
    await expect(txn.sendOffsets({ consumerGroupId: 'nobody', topics: [{ topic, partitions: [{ partition: 0, offset: 1 }] }] })).rejects.toMatchObject({
      code: 'GroupIdNotFound',
    });
    expect(await stagedItems(t)).toEqual([]);
    await expect(txn.commit()).rejects.toMatchObject({ code: 'TransactionAbortable' });
    await txn.abort();
  });

  it('refuses offsets from a consumer that is not a member of the group (KIP-447), staging nothing', async () => {
    const input = await createTopic(t.kafkaless, 'ghost-in', 1);
    await createGroup(t.kafkaless, 'ghost-group', input, 1);
    const producer = producerFor('ghost-1');
    const txn = await producer.transaction();
    const offsets = { consumerGroupId: 'ghost-group', memberId: 'ghost', memberEpoch: 3, topics: [{ topic: input, partitions: [{ partition: 0, offset: 1 }] }] };
    await expect(txn.sendOffsets(offsets)).rejects.toMatchObject({ code: 'UnknownMemberId' });
    expect(await stagedItems(t)).toEqual([]);
    await txn.abort();
  });

  it('refuses a transaction timeout above the maximum with InvalidTransactionTimeout', async () => {
    const producer = producerFor('timeout-1', { 'transaction.timeout.ms': 3_600_000 });
    await expect(producer.initTransactions()).rejects.toMatchObject({ code: 'InvalidTransactionTimeout' });
  });
});
