import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../lib/client/transport.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { crashAt } from './crash.js';
import { createTopic, highWatermarks, stagedItems } from './helpers.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

describe('a commit whose reply is lost', () => {
  it('answers a commit retried after its reply was lost with the same offsets (regression: the retry answered none)', async () => {
    const topic = await createTopic(t.kafkaless, 'commit-lost-reply', 2);
    await t.kafkaless.producer({ 'linger.ms': 0 }).send({ topic, messages: [{ value: 'before', partition: 1 }] });
    const lossy = t.another({ faults: crashAt('txn.afterCommit', 1) });
    const producer = lossy.producer({ 'transactional.id': 'commit-lost-reply-1', 'linger.ms': 0 });
    const txn = await producer.transaction();
    await txn.send({ topic, messages: [{ value: 'x', partition: 0 }, { value: 'y', partition: 1 }, { value: 'z', partition: 1 }] });
    const ranges = await txn.commit();
    expect(ranges.map((r) => [r.topic, r.partition, r.baseOffset, r.lastOffset]).sort()).toEqual([
      [topic, 0, 0, 0],
      [topic, 1, 1, 2],
    ]);
    expect(await highWatermarks(t.kafkaless, topic)).toEqual([1, 3]);
    // The fault came before the staged items were cleaned up: the maintenance schedule's recovery does it.
    expect((await stagedItems(t)).length).toBeGreaterThan(0);
    await call(t.kafkaless.transport, 'maintenance', { action: 'run', steps: ['transactions'] });
    expect(await stagedItems(t)).toEqual([]);
  });

});
