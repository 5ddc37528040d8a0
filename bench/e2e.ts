/**
 * End to end on the local stack: a producer pushes 1 KiB records into a
 * one-partition topic with `batch.size` set so each batch closes at exactly
 * 1, 100 or 1,000 records (other settings Kafka's defaults: linger.ms 5,
 * five requests in flight, idempotence on), then a consumer (defaults:
 * max.partition.fetch.bytes 1 MiB) reads them all back from offset 0. Once
 * through the embedded transport, once through the Lambda transport against
 * the real bundles. Requests are counted as local-env.ts says.
 */
import { Kafkaless } from '../lib/client/kafkaless.js';
import type { BenchStack } from './local-env.js';
import type { CounterSnapshot } from './request-counter.js';
import { TimedTransport, type InvocationStats } from './timed-transport.js';
import { batchSizeFor, messages, sampleValue, VALUE_BYTES } from './workload.js';

export type TransportKind = 'embedded' | 'lambda';

export interface PhaseResult {
  readonly seconds: number;
  /** Requests the in-process clients sent (embedded only: the functions' own clients cannot be seen). */
  readonly counts: CounterSnapshot | undefined;
  /** PUTs and GETs the S3 server received. */
  readonly s3ServerPuts: number;
  readonly s3ServerGets: number;
  readonly invocations: InvocationStats;
}

export interface FlowResult {
  readonly transport: TransportKind;
  /** Set when the run with default settings failed and this one sent one request at a time. */
  readonly fallback?: { readonly error: string };
  readonly batchRecords: number;
  readonly records: number;
  /** Value bytes moved (records x 1 KiB). */
  readonly valueBytes: number;
  readonly produce: PhaseResult;
  readonly consume: PhaseResult;
}

export const BATCH_SIZES = [1, 100, 1000] as const;

/** Records per flow: enough for steady figures within the time budget. */
export function recordsFor(transport: TransportKind, batchRecords: number, quick: boolean): number {
  const table: Record<TransportKind, Record<number, number>> = {
    embedded: { 1: 1_000, 100: 50_000, 1000: 150_000 },
    lambda: { 1: 1_000, 100: 40_000, 1000: 100_000 },
  };
  const n = table[transport][batchRecords] ?? 10_000;
  return quick ? Math.max(batchRecords * 5, Math.round(n / 10)) : n;
}

/** Messages handed to one `send` call. */
const SEND_CHUNK = 1000;

export async function runFlow(
  env: BenchStack,
  transport: TransportKind,
  batchRecords: number,
  records: number,
  maxInFlight?: number,
): Promise<FlowResult> {
  const timed = new TimedTransport(transport === 'embedded' ? env.embeddedTransport() : env.lambdaTransport());
  const kafkaless = new Kafkaless({ transport: timed });
  const topic = `e2e-${transport}-${batchRecords}-${Date.now().toString(36)}`;
  try {
    await kafkaless.admin().createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const value = sampleValue();
    const producer = kafkaless.producer({
      'batch.size': batchSizeFor(batchRecords, value),
      ...(maxInFlight !== undefined ? { 'max.in.flight.requests.per.connection': maxInFlight } : {}),
    });
    await producer.connect();
    await producer.send({ topic, messages: messages(1, value, 0) });
    const produce = await measure(env, timed, 'produce', async () => {
      const sends: Promise<unknown>[] = [];
      for (let sent = 1; sent < records; sent += SEND_CHUNK) sends.push(producer.send({ topic, messages: messages(Math.min(SEND_CHUNK, records - sent), value, 0) }));
      await Promise.all(sends);
      await producer.flush();
    });
    await producer.disconnect();
    const consumer = kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    const tp = { topic, partition: 0 };
    consumer.assign([tp]);
    await consumer.position(tp);
    const consume = await measure(env, timed, 'fetch', async () => {
      let received = 0;
      while (received < records) {
        const batch = await consumer.poll({ timeoutMs: 1000 });
        if (batch.length === 0) throw new Error(`The consumer stalled at ${received} of ${records} records on ${topic}`);
        received += batch.length;
      }
    });
    return { transport, batchRecords, records, valueBytes: records * VALUE_BYTES, produce, consume };
  } finally {
    await kafkaless.close();
  }
}

async function measure(env: BenchStack, timed: TimedTransport, role: 'produce' | 'fetch', run: () => Promise<void>): Promise<PhaseResult> {
  env.counter.reset();
  env.s3Server.reset();
  timed.reset();
  const start = process.hrtime.bigint();
  await run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    seconds,
    counts: env.counter.snapshot(),
    s3ServerPuts: env.s3Server.count('PUT'),
    s3ServerGets: env.s3Server.count('GET'),
    invocations: timed.of(role),
  };
}

/** A flow that failed twice: no figures, only what went wrong. */
export interface FailedFlow {
  readonly transport: TransportKind;
  readonly batchRecords: number;
  readonly errors: readonly string[];
}

export interface Flows {
  readonly results: readonly FlowResult[];
  readonly failures: readonly FailedFlow[];
}

/** Runs every flow: embedded first, then Lambda, each at every batch size. */
export async function runFlows(env: BenchStack, quick: boolean, log: (line: string) => void): Promise<Flows> {
  const results: FlowResult[] = [];
  const failures: FailedFlow[] = [];
  for (const transport of ['embedded', 'lambda'] as const) {
    for (const batchRecords of BATCH_SIZES) {
      const records = recordsFor(transport, batchRecords, quick);
      log(`  ${transport}, ${batchRecords} record(s) per batch, ${records.toLocaleString('en-US')} records ...`);
      const result = await runFlowOrFallback(env, transport, batchRecords, records, log);
      if ('errors' in result) failures.push(result);
      else results.push(transport === 'lambda' ? { ...result, produce: { ...result.produce, counts: undefined }, consume: { ...result.consume, counts: undefined } } : result);
    }
  }
  return { results, failures };
}

function describeError(err: unknown): string {
  return err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
}

/**
 * A flow that fails with the default settings is reported, and run again
 * with one request in flight, so the table still has figures (marked); one
 * that fails again is reported as failed.
 */
async function runFlowOrFallback(
  env: BenchStack,
  transport: TransportKind,
  batchRecords: number,
  records: number,
  log: (line: string) => void,
): Promise<FlowResult | FailedFlow> {
  let error: string;
  try {
    return await runFlow(env, transport, batchRecords, records);
  } catch (err) {
    error = describeError(err);
    log(`    failed with the default settings (${error}); again with max.in.flight.requests.per.connection=1 ...`);
  }
  try {
    return { ...(await runFlow(env, transport, batchRecords, records, 1)), fallback: { error } };
  } catch (err) {
    log(`    failed again (${describeError(err)})`);
    return { transport, batchRecords, errors: [error, describeError(err)] };
  }
}
