import { describe, expect, it, vi } from 'vitest';
import { ProducerBatch } from '../../lib/client/producer/batch.js';
import { resolveProducerConfig } from '../../lib/client/producer/config.js';
import type { RecordMetadata } from '../../lib/client/producer/message.js';
import { Sender } from '../../lib/client/producer/sender.js';
import type { Transport } from '../../lib/client/transport.js';
import { decodeRecordBatches } from '../../lib/log/index.js';

interface Call {
  readonly baseSequence: number;
  answer(reply: unknown): void;
}

/** A produce function whose replies the test hands out one by one. */
function scriptedTransport(): { transport: Transport; calls: Call[] } {
  const calls: Call[] = [];
  const transport: Transport = {
    async invoke(_role, request) {
      const entry = (request as { entries: { batch: string }[] }).entries[0]!;
      const [batch] = await decodeRecordBatches(Buffer.from(entry.batch, 'base64'));
      return new Promise((resolve) => calls.push({ baseSequence: batch!.baseSequence, answer: resolve }));
    },
    close: async () => undefined,
  };
  return { transport, calls };
}

const failure = (code: string) => ({ ok: false, error: { code, message: code, retriable: false } });
const success = (baseOffset: number) => ({ ok: true, result: { entries: [{ topic: 't', partition: 0, baseOffset, logAppendTime: -1, logStartOffset: 0 }] } });

function batchOf(value: string): { batch: ProducerBatch; result: Promise<RecordMetadata> } {
  const batch = new ProducerBatch('t', 0, -1, 'none', Date.now());
  const result = new Promise<RecordMetadata>((resolve, reject) =>
    batch.add({ record: { key: null, value: Buffer.from(value), headers: [], timestamp: Date.now() }, sizeBytes: 10, resolve, reject }),
  );
  result.catch(() => undefined);
  return { batch, result };
}

/** An idempotent sender (no backoff) with two batches sent, in order, and not yet answered. */
async function twoInFlight() {
  const { transport, calls } = scriptedTransport();
  const config = resolveProducerConfig({ 'retry.backoff.ms': 0, 'retry.backoff.max.ms': 0 });
  const sender = new Sender(transport, config, async () => ({ producerId: 7, producerEpoch: 0 }), () => undefined);
  const first = batchOf('first');
  const second = batchOf('second');
  await sender.enqueue(first.batch);
  await vi.waitFor(() => expect(calls.length).toBe(1));
  await sender.enqueue(second.batch);
  await vi.waitFor(() => expect(calls.length).toBe(2));
  return { sender, calls, first, second };
}

describe('the idempotent sender after an earlier batch failed', () => {
  it('renumbers and resends a batch answered OutOfOrderSequence instead of stranding it in flight (regression: the proof saw producers hang)', async () => {
    const { sender, calls, first, second } = await twoInFlight();
    await vi.waitFor(() => expect(calls.map((c) => c.baseSequence)).toEqual([0, 1]));

    calls[0]!.answer(failure('InvalidRecord'));
    await expect(first.result).rejects.toMatchObject({ code: 'InvalidRecord' });
    calls[1]!.answer(failure('OutOfOrderSequence'));

    await vi.waitFor(() => expect(calls.length).toBe(3), { timeout: 2_000 });
    expect(calls[2]!.baseSequence).toBe(0);
    calls[2]!.answer(success(41));
    await expect(second.result).resolves.toMatchObject({ offset: 41 });
    await sender.idle();
  });

  it('retries a batch answered OutOfOrderSequence when the batch before it was acknowledged meanwhile (regression: it failed)', async () => {
    const { sender, calls, first, second } = await twoInFlight();
    await vi.waitFor(() => expect(calls.map((c) => c.baseSequence)).toEqual([0, 1]));
    // The second arrived first and was judged out of order; then the first landed and its reply came back first.
    calls[0]!.answer(success(10));
    await expect(first.result).resolves.toMatchObject({ offset: 10 });
    calls[1]!.answer(failure('OutOfOrderSequence'));
    await vi.waitFor(() => expect(calls.length).toBe(3), { timeout: 2_000 });
    expect(calls[2]!.baseSequence).toBe(1);
    calls[2]!.answer(success(11));
    await expect(second.result).resolves.toMatchObject({ offset: 11 });
    await sender.idle();
  });

  it('takes DuplicateSequenceNumber for a resent batch as success with an unknown offset, as Kafka does', async () => {
    const { sender, calls, first, second } = await twoInFlight();
    await vi.waitFor(() => expect(calls.length).toBe(2));
    calls[1]!.answer(success(21));
    calls[0]!.answer(failure('DuplicateSequenceNumber'));
    await expect(first.result).resolves.toMatchObject({ offset: -1 });
    await expect(second.result).resolves.toMatchObject({ offset: 21 });
    // The lane goes on from the later batch, not back to the duplicate's sequence.
    const third = batchOf('third');
    await sender.enqueue(third.batch);
    await vi.waitFor(() => expect(calls.length).toBe(3));
    expect(calls[2]!.baseSequence).toBe(2);
    calls[2]!.answer(success(22));
    await expect(third.result).resolves.toMatchObject({ offset: 22 });
    await sender.idle();
  });
});
