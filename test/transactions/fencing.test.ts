import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { committedOffsets, createGroup, createTopic, highWatermarks, readAll, stagedItems } from './helpers.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

const instance = (id: string) => t.another().producer({ 'transactional.id': id, 'linger.ms': 0, 'retry.backoff.ms': 5, 'retry.backoff.max.ms': 20 });

describe('zombie fencing', () => {
  it('stops an old instance from sending or committing once a new one initialized the same transactional.id', async () => {
    const topic = await createTopic(t.kafkaless, 'zombie', 2);
    const old = instance('zombie-id');
    const txn = await old.transaction();
    await txn.send({ topic, messages: [{ value: 'zombie-1', partition: 0 }] });

    const fresh = instance('zombie-id');
    await fresh.initTransactions();
    expect(await stagedItems(t)).toEqual([]);

    await expect(txn.send({ topic, messages: [{ value: 'zombie-2', partition: 1 }] })).rejects.toMatchObject({ code: 'ProducerFenced' });
    await expect(txn.commit()).rejects.toMatchObject({ code: 'ProducerFenced' });
    await expect(old.transaction()).rejects.toMatchObject({ code: 'ProducerFenced' });

    fresh.beginTransaction();
    await fresh.send({ topic, messages: [{ value: 'fresh', partition: 1 }] });
    await fresh.commitTransaction();
    expect((await readAll(t.kafkaless, topic)).map((r) => r.value)).toEqual(['fresh']);
  });

  it('refuses a zombie commit whose records were all staged before the takeover, and its offsets', async () => {
    const topic = await createTopic(t.kafkaless, 'zombie-commit', 1);
    const input = await createTopic(t.kafkaless, 'zombie-in', 1);
    await createGroup(t.kafkaless, 'zombie-group', input, 1);
    const old = instance('zombie-commit-id');
    const txn = await old.transaction();
    await txn.send({ topic, messages: [{ value: 'late' }] });
    await txn.sendOffsets({ consumerGroupId: 'zombie-group', topics: [{ topic: input, partitions: [{ partition: 0, offset: 5 }] }] });
    await instance('zombie-commit-id').initTransactions();
    await expect(txn.commit()).rejects.toMatchObject({ code: 'ProducerFenced' });
    expect(await highWatermarks(t.kafkaless, topic)).toEqual([0]);
    expect((await committedOffsets(t.kafkaless, 'zombie-group', input)).get(0)).toBe(0);
  });

  it('fences every older instance: only the newest of three may commit', async () => {
    const topic = await createTopic(t.kafkaless, 'three', 1);
    const instances = [instance('three-id'), instance('three-id'), instance('three-id')];
    for (const p of instances) await p.initTransactions();
    for (const [i, p] of instances.entries()) {
      p.beginTransaction();
      const sent = p.send({ topic, messages: [{ value: `i${i}` }] });
      if (i < 2) {
        await expect(sent).rejects.toMatchObject({ code: 'ProducerFenced' });
      } else {
        await sent;
        await p.commitTransaction();
      }
    }
    expect((await readAll(t.kafkaless, topic)).map((r) => r.value)).toEqual(['i2']);
  });
});
