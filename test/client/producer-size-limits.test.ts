import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkalessError } from '../../lib/errors.js';
import type { InvokeOptions, Transport } from '../../lib/client/transport.js';
import { Kafkaless } from '../../lib/client/kafkaless.js';
import { MAX_PRODUCE_PARTITIONS } from '../../lib/limits.js';
import type { FunctionRole } from '../../lib/names.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
  await t.kafkaless.admin().createTopics({
    topics: [
      { topic: 'small-records', numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '2000' }] },
      { topic: 'wide', numPartitions: MAX_PRODUCE_PARTITIONS + 1 },
    ],
  });
}, 120_000);
afterAll(async () => t?.close());

/** Counts produce requests and the batches each carried. */
class CountingTransport implements Transport {
  readonly requests: number[] = [];
  constructor(private readonly inner: Transport) {}
  async invoke(role: FunctionRole, request: object, options?: InvokeOptions): Promise<unknown> {
    const r = request as { action: string; entries?: unknown[] };
    if (r.action === 'produce') this.requests.push(r.entries!.length);
    return this.inner.invoke(role, request, options);
  }
  async close(): Promise<void> {}
}

async function errorOf(promise: Promise<unknown>): Promise<KafkalessError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KafkalessError);
  return err as KafkalessError;
}

describe('record size limits', () => {
  it("refuses a record over the topic's max.message.bytes before sending, naming the config and its value", async () => {
    const counting = new CountingTransport(t.another().transport);
    const producer = new Kafkaless({ transport: counting }).producer({ 'linger.ms': 0 });
    const err = await errorOf(producer.send({ topic: 'small-records', messages: [{ value: 'x'.repeat(3000) }] }));
    await producer.disconnect();
    expect(err.code).toBe('RecordTooLarge');
    expect(err.message).toMatch(/topic 'small-records''s max\.message\.bytes \(2000\)/);
    expect(counting.requests).toEqual([]);
  });

  it('refuses a record over max.request.size before sending, naming max.request.size', async () => {
    const counting = new CountingTransport(t.another().transport);
    const producer = new Kafkaless({ transport: counting }).producer({ 'linger.ms': 0, 'max.request.size': 1024 });
    const err = await errorOf(producer.send({ topic: 'wide', messages: [{ value: 'x'.repeat(1500), partition: 0 }] }));
    await producer.disconnect();
    expect(err.code).toBe('RecordTooLarge');
    expect(err.message).toMatch(/max\.request\.size \(1024\)/);
    expect(counting.requests).toEqual([]);
  });

  it('lets the broker judge a compressed record, and its refusal names the topic and max.message.bytes', async () => {
    const producer = t.kafkaless.producer({ 'linger.ms': 0, 'compression.type': 'gzip' });
    const [meta] = await producer.send({ topic: 'small-records', messages: [{ value: 'x'.repeat(5000) }] });
    expect(meta!.offset).toBeGreaterThanOrEqual(0);
    const err = await errorOf(producer.send({ topic: 'small-records', messages: [{ value: randomBytes(5000) }] }));
    await producer.disconnect();
    expect(err.code).toBe('RecordTooLarge');
    expect(err.message).toMatch(/^The record is \d+ bytes as a batch, larger than topic 'small-records''s max\.message\.bytes \(2000\)/);
  });

  it("closes batches at the topic's max.message.bytes even when batch.size is larger", async () => {
    const producer = t.kafkaless.producer({ 'linger.ms': 1000, 'batch.size': 1_000_000 });
    const metas = (await Promise.all(Array.from({ length: 60 }, (_, i) => producer.send({ topic: 'small-records', messages: [{ value: `${i}`.padEnd(100, '.') }] })))).flat();
    await producer.disconnect();
    expect(metas.every((m) => m.offset >= 0)).toBe(true);
  });

  it(`sends at most ${MAX_PRODUCE_PARTITIONS} partition batches per request`, async () => {
    const counting = new CountingTransport(t.another().transport);
    const producer = new Kafkaless({ transport: counting }).producer({ 'linger.ms': 60_000 });
    const sends = Array.from({ length: MAX_PRODUCE_PARTITIONS + 1 }, (_, partition) => producer.send({ topic: 'wide', messages: [{ value: 'v', partition }] }));
    await producer.flush();
    const metas = (await Promise.all(sends)).flat();
    await producer.disconnect();
    expect(metas.every((m) => m.offset === 0)).toBe(true);
    expect(Math.max(...counting.requests)).toBeLessThanOrEqual(MAX_PRODUCE_PARTITIONS);
    expect(counting.requests.reduce((a, b) => a + b, 0)).toBe(MAX_PRODUCE_PARTITIONS + 1);
  });
});
