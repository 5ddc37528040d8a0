/** A producer in a workload: sends records to chosen partitions, several sends in flight, each recorded in the history. */
import type { Kafkaless } from '../../lib/client/kafkaless.js';
import { describeProducerState, withDeadline } from './watchdog.js';
import type { WorkerBase } from './worker.js';

export interface ProducerWorkerOptions extends WorkerBase {
  readonly name: string;
  readonly kafkaless: Kafkaless;
  readonly topic: string;
  readonly partitions: number;
  /** Sends in flight at once. */
  readonly window: number;
  readonly idempotent: boolean;
}

const MAX_RECORDS_PER_SEND = 3;

export async function runProducer(o: ProducerWorkerOptions): Promise<void> {
  const producer = o.kafkaless.producer({
    'linger.ms': 2,
    'retry.backoff.ms': 5,
    'retry.backoff.max.ms': 100,
    'delivery.timeout.ms': 120_000,
    random: o.random,
    ...(o.idempotent ? {} : { 'enable.idempotence': false, 'max.in.flight.requests.per.connection': 1 }),
  });
  let valueCount = 0;
  const inFlight = new Set<Promise<void>>();
  for (let sendIndex = 0; ; sendIndex++) {
    while (inFlight.size >= o.window) await Promise.race(inFlight);
    if (!o.budget.take()) break;
    const partition = Math.floor(o.random() * o.partitions);
    const count = 1 + Math.floor(o.random() * MAX_RECORDS_PER_SEND);
    const values = Array.from({ length: count }, () => `${o.name}/${valueCount++}`);
    const invokedMs = o.history.nowMs();
    const base = { kind: 'produce' as const, producer: o.name, idempotent: o.idempotent, partition, sendIndex, values, invokedMs };
    const send = producer.send({ topic: o.topic, messages: values.map((value) => ({ value, partition })) });
    const what = () => `${o.name}'s send #${sendIndex} of ${values.join(', ')} to partition ${partition}: ${describeProducerState(producer)}`;
    const sent: Promise<void> = withDeadline(send, o.stallMs, what, o.onStall)
      .then(
        (meta) => o.history.add({ ...base, completedMs: o.history.nowMs(), outcome: { status: 'ok', offsets: meta.map((m) => m.offset) } }),
        (err: unknown) => o.history.add({ ...base, completedMs: o.history.nowMs(), outcome: { status: 'unknown', error: describe(err) } }),
      )
      .finally(() => {
        inFlight.delete(sent);
        o.budget.complete();
      });
    inFlight.add(sent);
  }
  await Promise.all(inFlight);
  const closing = () => `${o.name}'s disconnect: ${describeProducerState(producer)}`;
  await withDeadline(producer.disconnect(), o.stallMs, closing, o.onStall).catch(() => undefined);
}

export function describe(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err) return String((err as { code: unknown }).code);
  return err instanceof Error ? err.name : String(err);
}
