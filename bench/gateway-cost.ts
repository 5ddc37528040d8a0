/**
 * What a GiB costs through the gateway when many small producers send one
 * 1 KiB record per request (issue 14's case): 100 concurrent kafkajs
 * producers, idempotent, acks all. AWS requests counted from the gateway's
 * own clients (S3 PUTs, DynamoDB write and read units), priced at list, plus
 * compute at Fargate arm64 prices for the CPU this process spent (gateway,
 * clients and the local S3 server together: an upper bound on the gateway's
 * share). Measured twice in the same run: with the gateway's produce
 * aggregation (its default: requests of a 5 ms window share one object and
 * commit) and without it (each request its own object and commit).
 */
import { createBrokerContext } from '../lib/broker/context.js';
import { BrokerFunctions } from '../lib/broker/functions.js';
import { DEFAULT_AGGREGATION } from '../lib/broker/produce/produce-aggregator.js';
import { Kafkaless } from '../lib/client/kafkaless.js';
import { startGateway } from '../lib/gateway/index.js';
import { AWS_PRICES, PEER_PRICES, priceNotes } from '../lib/aws/prices.js';
import { gatewayPath } from './gateway-paths.js';
import { percentile } from './groups-tracker.js';
import type { BenchStack } from './local-env.js';
import { fixed, GIB, int, printTable, usd } from './table.js';
import { sampleValue, VALUE_BYTES } from './workload.js';

export const COST_PRODUCERS = 100;
const PARTITIONS = 20;
/** Fargate task memory per vCPU in the construct's default task (1 vCPU, 2 GB). */
const GB_PER_VCPU = 2;

export interface GatewayCostResult {
  readonly aggregated: boolean;
  readonly producers: number;
  readonly records: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly s3Puts: number;
  readonly s3Gets: number;
  readonly writeUnits: number;
  readonly readUnits: number;
  readonly latenciesMs: readonly number[];
}

/** Both modes, aggregated first, each on a fresh topic and gateway. */
export async function runGatewayCosts(env: BenchStack, quick: boolean, log: (line: string) => void): Promise<GatewayCostResult[]> {
  const results: GatewayCostResult[] = [];
  for (const aggregated of [true, false]) results.push(await runGatewayCost(env, quick, aggregated, log));
  return results;
}

export async function runGatewayCost(env: BenchStack, quick: boolean, aggregated: boolean, log: (line: string) => void): Promise<GatewayCostResult> {
  const ctx = createBrokerContext({ dynamodb: env.clients.dynamodb, s3: env.clients.s3, tables: env.ns.tables, bucket: env.ns.bucket });
  const gateway = await startGateway({ functions: new BrokerFunctions(ctx, aggregated ? { aggregation: DEFAULT_AGGREGATION } : {}) });
  const path = gatewayPath(`${gateway.host}:${gateway.port}`);
  const admin = new Kafkaless({ transport: env.embeddedTransport() });
  const topic = `gw-cost-${Date.now().toString(36)}`;
  const perProducer = quick ? 3 : 20;
  const value = sampleValue();
  try {
    await admin.admin().createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] });
    const producers = await Promise.all(Array.from({ length: COST_PRODUCERS }, () => path.producer(topic)));
    // Warm-up (producer ids, metadata, connections), outside the counts.
    await Promise.all(producers.map((p, k) => p.send(k % PARTITIONS, value)));
    log(`  cost: ${COST_PRODUCERS} producers x ${perProducer} records of ${VALUE_BYTES} B, one per request, ${aggregated ? 'aggregated' : 'no aggregation'} ...`);
    env.counter.reset();
    const cpuBefore = process.cpuUsage();
    const latenciesMs: number[] = [];
    const start = process.hrtime.bigint();
    await Promise.all(
      producers.map(async (p, k) => {
        for (let i = 0; i < perProducer; i++) {
          const sent = process.hrtime.bigint();
          await p.send(k % PARTITIONS, value);
          latenciesMs.push(Number(process.hrtime.bigint() - sent) / 1e6);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const counted = env.counter.snapshot();
    await Promise.all(producers.map((p) => p.close()));
    const records = COST_PRODUCERS * perProducer;
    return {
      aggregated,
      producers: COST_PRODUCERS,
      records,
      bytes: records * VALUE_BYTES,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      s3Puts: counted.requests['s3:PutObject'] ?? 0,
      s3Gets: counted.requests['s3:GetObject'] ?? 0,
      writeUnits: counted.writeUnits,
      readUnits: counted.readUnits,
      latenciesMs: latenciesMs.sort((a, b) => a - b),
    };
  } finally {
    await path.close();
    await admin.close();
    await gateway.close();
  }
}

interface CostRow {
  readonly s3: number;
  readonly dynamodb: number;
  readonly compute: number;
}

function costPerGib(r: GatewayCostResult): CostRow {
  const perGib = GIB / r.bytes;
  const vcpuHourUsd = AWS_PRICES.fargateArmPerVcpuHour.usd + GB_PER_VCPU * AWS_PRICES.fargateArmPerGbHour.usd;
  return {
    s3: (r.s3Puts * AWS_PRICES.s3PutPerRequest.usd + r.s3Gets * AWS_PRICES.s3GetPerRequest.usd) * perGib,
    dynamodb: (r.writeUnits * AWS_PRICES.dynamodbWritePerUnit.usd + r.readUnits * AWS_PRICES.dynamodbReadPerUnit.usd) * perGib,
    compute: (r.cpuSeconds / 3600) * vcpuHourUsd * perGib,
  };
}

export function printGatewayCost(results: readonly GatewayCostResult[]): void {
  const k = PEER_PRICES;
  const dash = ['-', '-', '-', '-', '-', '-', '-', '-'];
  printTable(
    `Produce cost per GiB through the gateway: ${COST_PRODUCERS} producers, one ${VALUE_BYTES} B record per request`,
    ['system', 'rec/s', 'ms p50/p99', 'S3 PUT/record', 'WRU/record', 'RRU/record', 'S3', 'DynamoDB', 'compute (Fargate arm64)', 'total'],
    [
      ...results.map((r) => {
        const c = costPerGib(r);
        return [
          `kafkaless gateway, ${r.aggregated ? `aggregated (${DEFAULT_AGGREGATION.lingerMs} ms linger)` : 'no aggregation'}`,
          int(r.records / r.seconds),
          `${fixed(percentile(r.latenciesMs, 0.5))}/${fixed(percentile(r.latenciesMs, 0.99))}`,
          fixed(r.s3Puts / r.records, 3),
          fixed(r.writeUnits / r.records, 2),
          fixed(r.readUnits / r.records, 2),
          usd(c.s3),
          usd(c.dynamodb),
          usd(c.compute),
          usd(c.s3 + c.dynamodb + c.compute),
        ];
      }),
      ['Kinesis on-demand (list, ingest)', ...dash, usd(k.kinesisOnDemandInPerGb.usd)],
      ['MSK Serverless (list, in)', ...dash, usd(k.mskServerlessInPerGb.usd)],
    ],
    [
      ...results.map((r) => `${r.aggregated ? 'aggregated' : 'no aggregation'}: ${int(r.records)} records in ${fixed(r.seconds, 1)} s, ${fixed(r.cpuSeconds, 1)} CPU-seconds; AWS requests counted from the gateway's clients after a warm-up send per producer.`),
      `The producers are idempotent kafkajs producers, each sending to one of ${PARTITIONS} partitions and awaiting each send; a connection has one request in process at a time, as at a Kafka broker.`,
      `compute: the CPU-seconds of this whole process (gateway, kafkajs clients, the local S3 server) priced as Fargate arm64 vCPU time with ${GB_PER_VCPU} GB`,
      "per vCPU: an upper bound on the gateway's share; the load balancer and idle tasks are not included.",
      'Aggregated, a window still writes per partition its head and one index item, and per producer and partition its state: with one',
      'record per request these, not S3, dominate (the goal of at most $0.02 per GiB needs the per-commit items cut: see docs/GATEWAY.md, "Cost").',
      'Peer rows are list-price arithmetic only; Kinesis bills each record rounded up to 1 KB, MSK Serverless adds cluster and partition hours.',
      ...priceNotes(),
    ],
  );
}
