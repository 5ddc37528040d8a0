/**
 * The Kafka gateway against the native client, in one run on the same local
 * services: 1 KiB records produced one per request (idempotent, acks all) by
 * one producer and by 20 concurrent ones (each on a partition of its own),
 * then fetched back by one reader and by 20 concurrent ones, each case in
 * rounds native, gateway, gateway, native. The native path
 * is the embedded transport (the broker's handlers in this process); the
 * gateway path is kafkajs 2.2.4 over TCP to a gateway in this process, over
 * the same tables and bucket, so the difference is the Kafka protocol, the
 * socket and the client. Both read the records the native path wrote.
 */
import { createBrokerContext } from '../lib/broker/context.js';
import { BrokerFunctions } from '../lib/broker/functions.js';
import { startGateway } from '../lib/gateway/index.js';
import { Kafkaless } from '../lib/client/kafkaless.js';
import { gatewayPath, nativePath, type BenchPath, type PathName } from './gateway-paths.js';
import type { BenchStack } from './local-env.js';
import { sampleValue, VALUE_BYTES } from './workload.js';

export const CONCURRENCIES = [1, 20] as const;
/** What one fetch may return, per partition and in all: about 7 of these records. */
export const FETCH_BYTES = 8 * 1024;
/** Each case runs native, gateway, gateway, native, and the two rounds of each path are pooled, so drift during the run weighs on both alike. */
const ROUND_ORDER: readonly PathName[] = ['native', 'gateway', 'gateway', 'native'];

export interface GatewayRow {
  readonly path: PathName;
  readonly operation: 'produce' | 'fetch';
  readonly clients: number;
  readonly records: number;
  readonly seconds: number;
  /** One produce or fetch request each, as the client saw it, sorted. */
  readonly latenciesMs: readonly number[];
}

/** Records each producer sends in one round, after its warm-up record. */
export function recordsPerProducer(clients: number, quick: boolean): number {
  const full = clients === 1 ? 100 : 15;
  return quick ? Math.max(3, Math.round(full / 5)) : full;
}

const elapsedMs = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

async function produce(path: BenchPath, topic: string, clients: number, records: number): Promise<GatewayRow> {
  const value = sampleValue();
  const producers = await Promise.all(Array.from({ length: clients }, () => path.producer(topic)));
  try {
    // Warm-up: producer id, metadata and connections, outside the clock.
    await Promise.all(producers.map((p, partition) => p.send(partition, value)));
    const latenciesMs: number[] = [];
    const start = process.hrtime.bigint();
    await Promise.all(
      producers.map(async (p, partition) => {
        for (let i = 0; i < records; i++) {
          const sent = process.hrtime.bigint();
          await p.send(partition, value);
          latenciesMs.push(elapsedMs(sent));
        }
      }),
    );
    const seconds = elapsedMs(start) / 1000;
    return { path: path.name, operation: 'produce', clients, records: clients * records, seconds, latenciesMs: latenciesMs.sort((a, b) => a - b) };
  } finally {
    await Promise.all(producers.map((p) => p.close()));
  }
}

async function fetchAll(path: BenchPath, topic: string, clients: number, perPartition: number): Promise<GatewayRow> {
  const readers = await Promise.all(Array.from({ length: clients }, (_, partition) => path.reader(topic, partition, FETCH_BYTES)));
  try {
    // Warm-up: one fetch each (connections, metadata), outside the clock.
    await Promise.all(readers.map((r) => r.fetch(0)));
    const latenciesMs: number[] = [];
    let records = 0;
    const start = process.hrtime.bigint();
    await Promise.all(
      readers.map(async (r, partition) => {
        let next = 0;
        while (next < perPartition) {
          const sent = process.hrtime.bigint();
          const got = await r.fetch(next);
          latenciesMs.push(elapsedMs(sent));
          if (got.records === 0) throw new Error(`${path.name}: the fetch of partition ${partition} at ${next} of ${perPartition} returned nothing`);
          records += got.records;
          next = got.next;
        }
      }),
    );
    const seconds = elapsedMs(start) / 1000;
    return { path: path.name, operation: 'fetch', clients, records, seconds, latenciesMs: latenciesMs.sort((a, b) => a - b) };
  } finally {
    await Promise.all(readers.map((r) => r.close()));
  }
}

/** The rounds of one path as one row: records and seconds summed, latencies merged. */
function pooled(rounds: readonly GatewayRow[]): GatewayRow {
  const first = rounds[0]!;
  return {
    ...first,
    records: rounds.reduce((n, r) => n + r.records, 0),
    seconds: rounds.reduce((n, r) => n + r.seconds, 0),
    latenciesMs: rounds.flatMap((r) => r.latenciesMs).sort((a, b) => a - b),
  };
}

async function rounds(paths: readonly BenchPath[], run: (path: BenchPath) => Promise<GatewayRow>): Promise<GatewayRow[]> {
  const done: GatewayRow[] = [];
  for (const name of ROUND_ORDER) done.push(await run(paths.find((p) => p.name === name)!));
  return paths.map((p) => pooled(done.filter((r) => r.path === p.name)));
}

/** Runs every case, native and gateway side by side at each concurrency. */
export async function runGatewayBench(env: BenchStack, quick: boolean, log: (line: string) => void): Promise<GatewayRow[]> {
  const ctx = createBrokerContext({ dynamodb: env.clients.dynamodb, s3: env.clients.s3, tables: env.ns.tables, bucket: env.ns.bucket });
  const gateway = await startGateway({ functions: new BrokerFunctions(ctx) });
  const paths = [nativePath(env), gatewayPath(`${gateway.host}:${gateway.port}`)];
  const admin = new Kafkaless({ transport: env.embeddedTransport() });
  const rows: GatewayRow[] = [];
  const run = Date.now().toString(36);
  try {
    for (const clients of CONCURRENCIES) {
      const records = recordsPerProducer(clients, quick);
      const topics = new Map(paths.map((p) => [p.name, `gw-bench-${p.name}-${clients}-${run}`]));
      await admin.admin().createTopics({ topics: [...topics.values()].map((topic) => ({ topic, numPartitions: clients })) });
      log(`  produce: ${clients} producer(s) x ${records} records of ${VALUE_BYTES} B, rounds ${ROUND_ORDER.join(', ')} ...`);
      rows.push(...(await rounds(paths, (path) => produce(path, topics.get(path.name)!, clients, records))));
      // Both read what the native path wrote (its two rounds, warm-ups included): the same batches.
      const perPartition = (records + 1) * ROUND_ORDER.filter((n) => n === 'native').length;
      log(`  fetch: ${clients} reader(s) x ${perPartition} records, rounds ${ROUND_ORDER.join(', ')} ...`);
      rows.push(...(await rounds(paths, (path) => fetchAll(path, topics.get('native')!, clients, perPartition))));
    }
  } finally {
    await Promise.all(paths.map((p) => p.close()));
    await admin.close();
    await gateway.close();
  }
  return rows;
}
