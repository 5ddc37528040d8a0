import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfrastructureError, KafkalessError } from '../../lib/errors.js';
import { Kafkaless } from '../../lib/client/kafkaless.js';
import type { InvokeOptions, Transport } from '../../lib/client/transport.js';
import { LambdaTransport } from '../../lib/client/transports/lambda-transport.js';
import type { FunctionRole } from '../../lib/names.js';
import type { ConsumerRecord } from '../../lib/client/consumer/consumer.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
  await t.kafkaless.admin().createTopics({ topics: [{ topic: 'flaky', numPartitions: 2 }, { topic: 'blocked' }, { topic: 'fire-and-forget' }] });
});
afterAll(async () => t?.close());

/** Forwards to a real transport, failing some produce requests before or after they reach the broker. */
class FlakyTransport implements Transport {
  calls = 0;
  constructor(
    private readonly inner: Transport,
    private readonly fail: (call: number) => 'before' | 'after' | undefined,
  ) {}
  async invoke(role: FunctionRole, request: object, options?: InvokeOptions): Promise<unknown> {
    if (role !== 'produce' || (request as { action: string }).action !== 'produce') return this.inner.invoke(role, request, options);
    const call = this.calls++;
    const mode = this.fail(call);
    if (mode === 'before') throw new InfrastructureError('connection reset (injected)');
    const reply = await this.inner.invoke(role, request, options);
    if (mode === 'after') throw new InfrastructureError('timed out waiting for the reply (injected)');
    return reply;
  }
  async close(): Promise<void> {}
}

describe('the producer under failing requests', () => {
  it('keeps every partition in send order and appends nothing twice when requests fail before and after the commit', async () => {
    const transport = new FlakyTransport(t.another().transport, (call) => (call % 5 === 1 ? 'before' : call % 7 === 3 ? 'after' : undefined));
    const producer = new Kafkaless({ transport }).producer({ 'linger.ms': 0, 'batch.size': 64, 'retry.backoff.ms': 1, 'retry.backoff.max.ms': 5 });
    const sends = [];
    for (let i = 0; i < 200; i++) sends.push(producer.send({ topic: 'flaky', messages: [{ value: `m${i}`, partition: i % 2 }] }));
    const metas = (await Promise.all(sends)).flat();
    await producer.disconnect();
    expect(transport.calls).toBeGreaterThan(10);
    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    consumer.assign([0, 1].map((partition) => ({ topic: 'flaky', partition })));
    const read: ConsumerRecord[] = [];
    while (read.length < 200) {
      const batch = await consumer.poll({ timeoutMs: 200 });
      if (batch.length === 0) break;
      read.push(...batch);
    }
    expect(read).toHaveLength(200);
    for (const p of [0, 1]) {
      const values = read.filter((r) => r.partition === p).map((r) => Number(r.value!.toString().slice(1)));
      expect(values).toEqual(values.map((_, i) => i * 2 + p));
    }
    metas.forEach((m, i) => expect(read.find((r) => r.partition === m.partition && r.offset === m.offset)!.value!.toString()).toBe(`m${i}`));
  });

  it('retries a failed producer id request instead of failing the first sends (regression: they failed with KafkaStorageError)', async () => {
    const inner = t.another().transport;
    let initCalls = 0;
    const transport: Transport = {
      async invoke(role, request, options) {
        if ((request as { action?: string }).action === 'initProducerId' && initCalls++ < 2) throw new InfrastructureError('connection reset (injected)');
        return inner.invoke(role, request, options);
      },
      close: async () => undefined,
    };
    const producer = new Kafkaless({ transport }).producer({ 'linger.ms': 0, 'retry.backoff.ms': 1, 'retry.backoff.max.ms': 5 });
    const [meta] = await producer.send({ topic: 'flaky', messages: [{ value: 'first', partition: 0 }] });
    await producer.disconnect();
    expect(initCalls).toBe(3);
    expect(meta!.offset).toBeGreaterThanOrEqual(0);
  });
});

describe('producer limits', () => {
  it('waits for buffer.memory up to max.block.ms, then fails with a clear error', async () => {
    const never: Transport = {
      invoke: (role, request) =>
        (request as { action: string }).action === 'produce' ? new Promise(() => undefined) : t.transport.invoke(role, request),
      close: async () => undefined,
    };
    const producer = new Kafkaless({ transport: never }).producer({ 'buffer.memory': 2048, 'max.block.ms': 200, 'linger.ms': 0 });
    void producer.send({ topic: 'blocked', messages: [{ value: 'x'.repeat(1500) }] }).catch(() => undefined);
    const err = await producer.send({ topic: 'blocked', messages: [{ value: 'y'.repeat(1500) }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkalessError);
    expect((err as KafkalessError).message).toMatch(/buffer\.memory/);
  });

  it('refuses a Lambda request over the 6 MB synchronous payload with MessageSizeTooLarge before sending it', async () => {
    const transport = new LambdaTransport({ functions: { produce: 'nowhere' }, endpoint: 'http://127.0.0.1:9', region: 'us-east-1' });
    const huge = { action: 'produce', entries: [{ topic: 't', partition: 0, batch: 'A'.repeat(6_300_000) }] };
    await expect(transport.invoke('produce', huge)).rejects.toMatchObject({ code: 'MessageSizeTooLarge' });
    await transport.close();
  });

  it('with acks=0 does not wait for the commit, and the record still lands', async () => {
    const producer = t.kafkaless.producer({ acks: 0, 'linger.ms': 0 });
    const [meta] = await producer.send({ topic: 'fire-and-forget', messages: [{ value: 'async' }] });
    expect(meta!.offset).toBe(-1);
    await producer.disconnect();
    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    consumer.assign([{ topic: 'fire-and-forget', partition: 0 }]);
    let records: Awaited<ReturnType<typeof consumer.poll>> = [];
    for (let i = 0; i < 20 && records.length === 0; i++) records = await consumer.poll({ timeoutMs: 200 });
    expect(records.map((r) => r.value!.toString())).toEqual(['async']);
  });

  it('rejects enable.idempotence with acks=0 as Kafka does', () => {
    expect(() => t.kafkaless.producer({ acks: 0, 'enable.idempotence': true })).toThrow(/acks/);
  });
});
