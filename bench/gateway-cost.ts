/**
 * What a GiB costs through the gateway when many small producers send one
 * 1 KiB record per request (issue 14's case): 100 concurrent kafkajs
 * producers, idempotent, acks all. AWS requests counted from the gateway's
 * own clients (S3 PUTs, DynamoDB write and read units), priced at list, plus
 * compute at Fargate arm64 prices for the CPU this process spent (gateway,
 * clients and the local S3 server together: an upper bound on the gateway's
 * share). No aggregation yet: each request is its own object and commit.
 */
import { createBrokerContext } from '../lib/broker/context.js';
import { BrokerFunctions } from '../lib/broker/functions.js';
import { Kafkaless } from '../lib/client/kafkaless.js';
import { startGateway } from '../lib/gateway/index.js';
import { AWS_PRICES, PEER_PRICES, priceNotes } from './aws-prices.js';
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

export async function runGatewayCost(env: BenchStack, quick: boolean, log: (line: string) => void): Promise<GatewayCostResult> {
  const ctx = createBrokerContext({ dynamodb: env.clients.dynamodb, s3: env.clients.s3, tables: env.ns.tables, bucket: env.ns.bucket });
  const gateway = await startGateway({ functions: new BrokerFunctions(ctx) });
  const path = gatewayPath(`${gateway.host}:${gateway.port}`);
  const admin = new Kafkaless({ transport: env.embeddedTransport() });
  const topic = `gw-cost-${Date.now().toString(36)}`;
  const perProducer = quick ? 3 : 10;
  const value = sampleValue();
  try {
    await admin.admin().createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] });
    const producers = await Promise.all(Array.from({ length: COST_PRODUCERS }, () => path.producer(topic)));
    // Warm-up (producer ids, metadata, connections), outside the counts.
    await Promise.all(producers.map((p, k) => p.send(k % PARTITIONS, value)));
    log(`  cost: ${COST_PRODUCERS} producers x ${perProducer} records of ${VALUE_BYTES} B, one per request ...`);
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

export function printGatewayCost(r: GatewayCostResult): void {
  const perGib = GIB / r.bytes;
  const s3 = (r.s3Puts * AWS_PRICES.s3PutPerRequest.usd + r.s3Gets * AWS_PRICES.s3GetPerRequest.usd) * perGib;
  const dynamodb = (r.writeUnits * AWS_PRICES.dynamodbWritePerUnit.usd + r.readUnits * AWS_PRICES.dynamodbReadPerUnit.usd) * perGib;
  const vcpuHourUsd = AWS_PRICES.fargateArmPerVcpuHour.usd + GB_PER_VCPU * AWS_PRICES.fargateArmPerGbHour.usd;
  const compute = (r.cpuSeconds / 3600) * vcpuHourUsd * perGib;
  const k = PEER_PRICES;
  printTable(
    `Produce cost per GiB through the gateway: ${r.producers} producers, one ${VALUE_BYTES} B record per request`,
    ['system', 'rec/s', 'ms p50/p99', 'S3 PUT/record', 'WRU/record', 'RRU/record', 'S3', 'DynamoDB', 'compute (Fargate arm64)', 'total'],
    [
      [
        'kafkaless gateway, no aggregation',
        int(r.records / r.seconds),
        `${fixed(percentile(r.latenciesMs, 0.5))}/${fixed(percentile(r.latenciesMs, 0.99))}`,
        fixed(r.s3Puts / r.records, 2),
        fixed(r.writeUnits / r.records, 1),
        fixed(r.readUnits / r.records, 1),
        usd(s3),
        usd(dynamodb),
        usd(compute),
        usd(s3 + dynamodb + compute),
      ],
      ['Kinesis on-demand (list, ingest)', '-', '-', '-', '-', '-', '-', '-', '-', usd(k.kinesisOnDemandInPerGb.usd)],
      ['MSK Serverless (list, in)', '-', '-', '-', '-', '-', '-', '-', '-', usd(k.mskServerlessInPerGb.usd)],
    ],
    [
      `${int(r.records)} records in ${fixed(r.seconds, 1)} s; AWS requests counted from the gateway's clients after a warm-up send per producer.`,
      `compute: ${fixed(r.cpuSeconds, 1)} CPU-seconds of this whole process (gateway, kafkajs clients, the local S3 server) priced as Fargate`,
      `arm64 vCPU time with ${GB_PER_VCPU} GB per vCPU: an upper bound on the gateway's share; the load balancer and idle tasks are not included.`,
      'The goal for the aggregated figure (many requests in one object and one commit; not built yet) is at most $0.02 per GiB.',
      'Peer rows are list-price arithmetic only; Kinesis bills each record rounded up to 1 KB, MSK Serverless adds cluster and partition hours.',
      ...priceNotes(),
    ],
  );
}
