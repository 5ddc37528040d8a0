/** The one consume loop: retriable failures are retried and reported, a fatal one crashes loudly and never escapes as an unhandled rejection. */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KafkalessError } from '../../lib/errors.js';
import { Kafkaless } from '../../lib/client/kafkaless.js';
import { LambdaTransport } from '../../lib/client/transports/lambda-transport.js';
import type { FunctionRole } from '../../lib/names.js';
import type { InvokeOptions, Transport } from '../../lib/client/transport.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { createTopicWithRecords } from '../support/topic-with-records.js';
import { CuttableTransport } from '../groups/cuttable-transport.js';
import { waitFor } from '../groups/wait-for.js';
import { committedOffsetsOf } from '../../lib/client/admin-groups.js';

let t: TestKafkaless;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
beforeAll(async () => {
  t = await createTestKafkaless();
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await t?.close();
});
afterEach(() => {
  expect(unhandled).toEqual([]);
});

/** Gives the event loop a moment, so a stray rejection would have been reported. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

/** Answers one role with a fatal error, as a client whose function for it does not exist. */
class MissingFunctionTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly missing: FunctionRole,
  ) {}
  async invoke(role: FunctionRole, request: object, options?: InvokeOptions): Promise<unknown> {
    if (role === this.missing) throw new KafkalessError('InvalidRequest', `No ${role} function is configured for this client`);
    return this.inner.invoke(role, request, options);
  }
  async close(): Promise<void> {}
}

const topicWith = (topic: string, partitions: number, records: number) => createTopicWithRecords(t.kafkaless, topic, partitions, records);

describe('the consume loop', () => {
  it('keeps a consumer running through a transport that fails retriably for a while, reporting each retry, then delivers', async () => {
    await topicWith('flaky-link', 1, 5);
    const link = new CuttableTransport(t.transport);
    const consumer = new Kafkaless({ transport: link }).consumer({ 'auto.offset.reset': 'earliest', 'retry.backoff.ms': 5, 'retry.backoff.max.ms': 40 });
    consumer.assign([{ topic: 'flaky-link', partition: 0 }]);
    const retries: { code: unknown; delayMs: number }[] = [];
    const crashes: unknown[] = [];
    consumer.on(consumer.events.RETRY, ({ payload }) => void retries.push({ code: (payload.error as KafkalessError).code, delayMs: payload.delayMs }));
    consumer.on('consumer.crash', ({ payload }) => void crashes.push(payload.error));
    const seen: string[] = [];
    link.cut = true;
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
    await waitFor(() => retries.length >= 5, 'five retries while the link is cut');
    expect(seen).toEqual([]);
    link.cut = false;
    await waitFor(() => seen.length === 5, 'all five records once the link is back');
    await consumer.disconnect();
    expect(seen).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
    expect(new Set(retries.map((r) => r.code))).toEqual(new Set(['NetworkException']));
    expect(retries.every((r) => r.delayMs <= 40)).toBe(true);
    expect(crashes).toEqual([]);
  });

  it('starts a group consumer whose coordinator is unreachable at first: run() resolves, the join is retried, then it delivers and commits', async () => {
    await topicWith('flaky-group', 2, 6);
    const link = new CuttableTransport(t.transport);
    const consumer = new Kafkaless({ transport: link }).consumer({ 'group.id': 'flaky-group-g', 'auto.offset.reset': 'earliest', 'retry.backoff.ms': 5, 'retry.backoff.max.ms': 40 });
    consumer.subscribe({ topic: 'flaky-group' });
    let retries = 0;
    consumer.on('consumer.retry', () => void retries++);
    const seen: string[] = [];
    link.cut = true;
    await consumer.run({ eachMessage: async ({ partition, message }) => void seen.push(`${partition}:${message.offset}`) });
    await waitFor(() => retries >= 3, 'three retries of the join');
    link.cut = false;
    await waitFor(() => seen.length === 6, 'all six records');
    await consumer.disconnect();
    expect(committedOffsetsOf(await t.kafkaless.admin().fetchOffsets({ groupId: 'flaky-group-g' })).map((o) => o.offset)).toEqual([3, 3]);
  });

  it('retries a callback that threw from the record that failed, never skipping it', async () => {
    await topicWith('flaky-callback', 1, 4);
    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest', 'retry.backoff.ms': 1, 'retry.backoff.max.ms': 5 });
    consumer.assign([{ topic: 'flaky-callback', partition: 0 }]);
    const seen: string[] = [];
    let failures = 0;
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.offset === '2' && failures++ < 3) throw new Error('not yet');
        seen.push(message.offset);
      },
    });
    await waitFor(() => seen.length === 4, 'every record');
    await consumer.stop();
    expect(seen).toEqual(['0', '1', '2', '3']);
    expect(failures).toBe(4);
  });

  it('crashes on a fatal error: consumer.crash is emitted, stop() resolves, and nothing escapes as an unhandled rejection', async () => {
    await topicWith('fatal-fetch', 1, 1);
    const consumer = new Kafkaless({ transport: new MissingFunctionTransport(t.transport, 'fetch') }).consumer({ 'auto.offset.reset': 'earliest' });
    consumer.assign([{ topic: 'fatal-fetch', partition: 0 }]);
    const crashes: { error: unknown; groupId: string | undefined; restart: boolean }[] = [];
    consumer.on('consumer.crash', ({ payload }) => void crashes.push(payload));
    await consumer.run({ eachMessage: async () => undefined });
    await waitFor(() => crashes.length === 1, 'the crash event');
    expect(crashes[0]).toMatchObject({ groupId: undefined, restart: false, error: { code: 'InvalidRequest' } });
    await expect(consumer.stop()).resolves.toBeUndefined();
    await expect(consumer.disconnect()).resolves.toBeUndefined();
    await settle();
  });

  it('fails a group consumer without a group function loudly: run() rejects, consumer.crash is emitted', async () => {
    const kafkaless = new Kafkaless({ transport: new LambdaTransport({ functions: { fetch: 'kafkaless-fetch' } }) });
    const consumer = kafkaless.consumer({ 'group.id': 'no-coordinator' });
    consumer.subscribe({ topic: 'anything' });
    const crashes: unknown[] = [];
    consumer.on('consumer.crash', ({ payload }) => void crashes.push(payload.error));
    await expect(consumer.run({ eachMessage: async () => undefined })).rejects.toMatchObject({ code: 'InvalidRequest', message: expect.stringMatching(/No group function/) });
    expect(crashes).toHaveLength(1);
    await expect(consumer.disconnect()).resolves.toBeUndefined();
    await kafkaless.close();
  });

  it('writes a crash nobody listens for to stderr, even when run() was not awaited', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const consumer = new Kafkaless({ transport: new MissingFunctionTransport(t.transport, 'group') }).consumer({ 'group.id': 'silent-group' });
      consumer.subscribe({ topic: 'anything' });
      void consumer.run({ eachMessage: async () => undefined });
      await waitFor(() => written.some((w) => w.includes("group 'silent-group' crashed")), 'the crash on stderr');
      await consumer.disconnect();
      await settle();
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toMatch(/InvalidRequest: No group function/);
  });

  it('emits consumer.connect, fetch, stop and disconnect', async () => {
    await topicWith('evented', 1, 2);
    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    const types: string[] = [];
    for (const type of [consumer.events.CONNECT, consumer.events.FETCH, consumer.events.STOP, consumer.events.DISCONNECT]) consumer.on(type, (e) => void types.push(e.type));
    await consumer.connect();
    consumer.assign([{ topic: 'evented', partition: 0 }]);
    const seen: string[] = [];
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.offset) });
    await waitFor(() => seen.length === 2, 'both records');
    await consumer.disconnect();
    expect(types[0]).toBe('consumer.connect');
    expect(types).toContain('consumer.fetch');
    expect(types.slice(-2)).toEqual(['consumer.stop', 'consumer.disconnect']);
    expect(() => consumer.on('consumer.nothing' as never, () => undefined)).toThrow(/Unknown consumer event/);
  });
});
