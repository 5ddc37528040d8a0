import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkalessError } from '../../lib/errors.js';
import { InjectedFault, type FaultInjector } from '../../lib/faults.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { batchBase64, initProducerId, produceRaw, snapshot } from './helpers.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

async function topic(name: string, partitions = 1): Promise<string> {
  await t.kafkaless.admin().createTopics({ topics: [{ topic: name, numPartitions: partitions }] });
  return name;
}

async function highWatermark(name: string, partition = 0): Promise<number> {
  const [d] = await t.kafkaless.admin().describeTopics({ topics: [name] });
  return d!.partitions[partition]!.highWatermark;
}

describe('concurrent producers on one partition', () => {
  it('get offsets 0..N-1 with no gap and no duplicate, each holding the record acknowledged there, each producer in order', async () => {
    const name = await topic('hot');
    const producers = Array.from({ length: 8 }, () => t.another().producer({ 'linger.ms': 1, 'batch.size': 200 }));
    const perProducer = 40;
    const acks = await Promise.all(
      producers.map(async (p, id) => {
        const sent = [];
        for (let i = 0; i < perProducer; i += 4) {
          const messages = [0, 1, 2, 3].map((j) => ({ value: `p${id}-${i + j}` }));
          sent.push(...(await p.send({ topic: name, messages })).map((m, j) => ({ offset: m.offset, value: `p${id}-${i + j}` })));
        }
        await p.disconnect();
        return sent;
      }),
    );
    const total = 8 * perProducer;
    expect(await highWatermark(name)).toBe(total);
    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    consumer.assign([{ topic: name, partition: 0 }]);
    const read = [];
    while (read.length < total) read.push(...(await consumer.poll({ timeoutMs: 100 })));
    expect(read.map((r) => r.offset)).toEqual(Array.from({ length: total }, (_, i) => i));
    const byOffset = new Map(read.map((r) => [r.offset, r.value!.toString()]));
    for (const sent of acks) {
      for (const a of sent) expect(byOffset.get(a.offset)).toBe(a.value);
      const offsets = sent.map((a) => a.offset);
      expect(offsets).toEqual([...offsets].sort((x, y) => x - y));
    }
  });
});

describe('idempotent retries', () => {
  it('appends a batch whose reply was lost once, and answers the retry with the same offsets', async () => {
    const name = await topic('retry-once');
    const { producerId, producerEpoch } = await initProducerId(t.transport);
    const batch = await batchBase64(['a', 'b', 'c'], { producerId, producerEpoch, baseSequence: 0 });
    const first = await produceRaw(t.transport, name, 0, batch);
    const again = await produceRaw(t.another().transport, name, 0, batch);
    expect(again).toMatchObject({ baseOffset: first.baseOffset, duplicate: true });
    expect(await highWatermark(name)).toBe(3);
  });

  it('answers five in-flight batches retried out of order with their original offsets, appending nothing twice', async () => {
    const name = await topic('retry-five');
    const { producerId, producerEpoch } = await initProducerId(t.transport);
    const batches = await Promise.all([0, 1, 2, 3, 4].map((i) => batchBase64([`r${i}a`, `r${i}b`], { producerId, producerEpoch, baseSequence: i * 2 })));
    const original = [];
    for (const b of batches) original.push((await produceRaw(t.transport, name, 0, b)).baseOffset);
    const retried = [];
    for (const i of [3, 1, 4, 0, 2]) retried[i] = (await produceRaw(t.another().transport, name, 0, batches[i]!)).baseOffset;
    expect(retried).toEqual(original);
    expect(await highWatermark(name)).toBe(10);
  });

  it('accepts the next sequence on an instance whose cached producer state went stale (regression: warm instances behind a Lambda pool)', async () => {
    const name = await topic('stale-cache');
    const a = t.another().transport;
    const b = t.another().transport;
    const { producerId, producerEpoch } = await initProducerId(a);
    const batch = (seq: number) => batchBase64([`s${seq}`], { producerId, producerEpoch, baseSequence: seq });
    expect((await produceRaw(a, name, 0, await batch(0))).baseOffset).toBe(0);
    expect((await produceRaw(b, name, 0, await batch(1))).baseOffset).toBe(1);
    expect((await produceRaw(a, name, 0, await batch(2))).baseOffset).toBe(2);
    expect((await produceRaw(b, name, 0, await batch(3))).baseOffset).toBe(3);
    await expect(produceRaw(a, name, 0, await batch(9))).rejects.toMatchObject({ code: 'OutOfOrderSequence' });
  });

  it('rejects a sequence gap with OutOfOrderSequence and an old epoch with ProducerFenced, changing nothing', async () => {
    const name = await topic('sequence-rules');
    const { producerId } = await initProducerId(t.transport);
    await produceRaw(t.transport, name, 0, await batchBase64(['x'], { producerId, producerEpoch: 1, baseSequence: 0 }));
    const before = await snapshot(t);
    const gap = await batchBase64(['y'], { producerId, producerEpoch: 1, baseSequence: 5 });
    await expect(produceRaw(t.transport, name, 0, gap)).rejects.toMatchObject({ code: 'OutOfOrderSequence' });
    const fenced = await batchBase64(['z'], { producerId, producerEpoch: 0, baseSequence: 1 });
    await expect(produceRaw(t.transport, name, 0, fenced)).rejects.toMatchObject({ code: 'ProducerFenced' });
    const after = await snapshot(t);
    expect(after.heads).toEqual(before.heads);
    expect(after.batches).toBe(before.batches);
  });
});

describe('a crash between the S3 write and the commit', () => {
  it('leaves nothing visible, lets the retry succeed, and leaves the orphan for the collector', async () => {
    const name = await topic('crash');
    let crashes = 1;
    const faults: FaultInjector = {
      async at(point) {
        if (point === 'produce.afterUpload' && crashes-- > 0) throw new InjectedFault(point);
      },
    };
    const crashing = t.another({ faults });
    const { producerId, producerEpoch } = await initProducerId(crashing.transport);
    const batch = await batchBase64(['only'], { producerId, producerEpoch, baseSequence: 0 });
    const before = await snapshot(t);
    await expect(produceRaw(crashing.transport, name, 0, batch)).rejects.toBeInstanceOf(KafkalessError);
    const mid = await snapshot(t);
    expect(mid.heads).toEqual(before.heads);
    expect(mid.batches).toBe(before.batches);
    expect(mid.objects).toBe(before.objects + 1);
    expect(await highWatermark(name)).toBe(0);

    const retried = await produceRaw(crashing.transport, name, 0, batch);
    expect(retried.baseOffset).toBe(0);
    const after = await snapshot(t);
    expect(after.objects).toBe(before.objects + 2);
    expect(after.registry).toBe(before.registry + 1);
    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    consumer.assign([{ topic: name, partition: 0 }]);
    expect((await consumer.poll({ timeoutMs: 100 })).map((r) => r.value!.toString())).toEqual(['only']);
  });

  it('answers a retry after a lost reply (crash after the commit) with the original offsets', async () => {
    const name = await topic('lost-reply');
    let crashes = 1;
    const faults: FaultInjector = {
      async at(point) {
        if (point === 'produce.afterCommit' && crashes-- > 0) throw new InjectedFault(point);
      },
    };
    const producer = t.another({ faults }).producer({ 'linger.ms': 0, 'retry.backoff.ms': 1 });
    const meta = await producer.send({ topic: name, messages: [{ value: 'once' }] });
    await producer.disconnect();
    expect(meta[0]!.offset).toBe(0);
    expect(await highWatermark(name)).toBe(1);
  });
});
