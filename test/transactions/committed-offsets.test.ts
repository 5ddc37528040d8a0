import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { createTopic, readAll } from './helpers.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

describe("a record sent in a transaction", () => {
  it('resolves send at staging with offset -1, and its committed promise with the offset it took once the transaction commits', async () => {
    const topic = await createTopic(t.kafkaless, 'final-offsets', 2);
    const plain = t.kafkaless.producer();
    await plain.send({ topic, messages: [{ value: 'before', partition: 1 }] });
    const producer = t.kafkaless.producer({ 'transactional.id': 'final-offsets-1', 'linger.ms': 5 });
    const txn = await producer.transaction();
    const first = await txn.send({ topic, messages: [{ value: 'a', partition: 0 }, { value: 'b', partition: 1 }] });
    const second = await txn.send({ topic, messages: [{ value: 'c', partition: 1 }] });
    expect([...first, ...second].map((m) => m.offset)).toEqual([-1, -1, -1]);
    let settled = false;
    const finals = Promise.all([...first, ...second].map((m) => m.committed!)).then((all) => ((settled = true), all));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    const ranges = await txn.commit();
    const committed = await finals;
    expect(committed.map((m) => `${m.partition}:${m.offset}`)).toEqual(['0:0', '1:1', '1:2']);
    expect(ranges.find((r) => r.partition === 1)).toMatchObject({ baseOffset: 1, lastOffset: 2 });
    const read = await readAll(t.kafkaless, topic);
    for (const m of committed) expect(read.find((r) => r.partition === m.partition && r.offset === m.offset)!.value).toBe(['a', 'b', 'c'][committed.indexOf(m)]);
    await producer.disconnect();
    await plain.disconnect();
  });

  it('has its committed promise rejected when the transaction aborts, and the next transaction numbers afresh', async () => {
    const topic = await createTopic(t.kafkaless, 'aborted-offsets', 1);
    const producer = t.kafkaless.producer({ 'transactional.id': 'aborted-offsets-1', 'linger.ms': 0 });
    const txn = await producer.transaction();
    const [meta] = await txn.send({ topic, messages: [{ value: 'gone' }] });
    await txn.abort();
    await expect(meta!.committed).rejects.toMatchObject({ code: 'TransactionAbortable' });
    const next = await producer.transaction();
    const [kept] = await next.send({ topic, messages: [{ value: 'kept' }] });
    await next.commit();
    expect((await kept!.committed!).offset).toBeGreaterThanOrEqual(0);
    await producer.disconnect();
  });

  it('has no committed promise outside a transaction', async () => {
    const topic = await createTopic(t.kafkaless, 'plain-offsets', 1);
    const producer = t.kafkaless.producer();
    const [meta] = await producer.send({ topic, messages: [{ value: 'v' }] });
    expect(meta!.committed).toBeUndefined();
    expect(meta!.offset).toBe(0);
    await producer.disconnect();
  });
});
