/**
 * The S3 sink (docs/CONNECT.md): records per second and dollars per GiB
 * written to S3 as JSON Lines and as Parquet, beside Amazon Data Firehose's
 * list prices for the same job. Its own local services (DynamoDB Local, the
 * S3 server), the broker embedded in this process, the subscription's own
 * delivery loop (deliverPartition) invoking the sink's handler in process;
 * every AWS request the sink side sends is counted (and DynamoDB's request
 * units), as AWS would bill them. Lambda time is the delivery's wall time
 * (the trigger) plus the sink handler's (the connector function), at 1 GB.
 *
 *   npm run bench -- --only connect        (or: npx tsx bench/connect.ts [--quick])
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createDynamoDbClient, createS3Client, LOCAL_CREDENTIALS } from '../lib/aws/clients.js';
import { Kafkaless } from '../lib/client/kafkaless.js';
import { EmbeddedTransport } from '../lib/client/transports/embedded.js';
import { parseConnectorConfig } from '../lib/connect/config/connector-config.js';
import { createSinkHandler } from '../lib/connect/sink-handler.js';
import { NO_FAULTS, seededRandom } from '../lib/faults.js';
import { ensureBucket, provisionTables, tableNamesForPrefix } from '../lib/local/provision.js';
import { startLocalServices } from '../lib/local/services.js';
import { ConnectorStore } from '../lib/storage/connector-store.js';
import { LeaseStore } from '../lib/storage/lease-store.js';
import { deliverPartition } from '../lib/triggers/deliver-partition.js';
import type { InvocationResult } from '../lib/triggers/invocation-outcome.js';
import { AWS_PRICES, FUNCTION_MEMORY_GB, PRICES_AS_OF, PRICES_REGION } from '../lib/aws/prices.js';
import { countOf, RequestCounter } from './request-counter.js';
import { fixed, GIB, int, MIB, printTable, usd } from './table.js';
import { subscriptionSpecFor } from '../test/support/subscription-spec.js';

const RECORD_BYTES = 1024;
const FLUSH_SIZE = 1000;
const SEND_BATCH = 500;

/** Amazon Data Firehose list prices (us-east-1), for list-price arithmetic only: no Firehose was run. */
export const FIREHOSE_PRICES = {
  directPutPerGb: { usd: 0.029, per: 'GB ingested, Direct PUT, first 500 TB a month; each record rounded up to 5 KB', source: 'the Amazon Data Firehose pricing page', verified: false },
  formatConversionPerGb: { usd: 0.018, per: 'GB converted to Parquet or ORC', source: 'the Amazon Data Firehose pricing page', verified: false },
} as const;

interface SinkRow {
  readonly format: 'json' | 'parquet';
  readonly records: number;
  readonly inputBytes: number;
  readonly outputBytes: number;
  readonly seconds: number;
  readonly handlerSeconds: number;
  readonly invocations: number;
  readonly s3Puts: number;
  readonly s3Gets: number;
  readonly dynamodbRequests: number;
  readonly writeUnits: number;
  readonly readUnits: number;
}

const random = seededRandom(20261204);

/** A JSON order of about RECORD_BYTES, its note random text (so compression is not flattered). */
function recordValue(i: number): string {
  const base = JSON.stringify({ id: i, customer: `customer-${i % 997}`, total: (i % 1000) / 10, items: ['a', 'b'], note: '' });
  const words = Array.from({ length: 400 }, () => 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do'.split(' ')[Math.floor(random() * 10)]).join(' ');
  return JSON.stringify({ ...(JSON.parse(base) as object), note: words.slice(0, Math.max(0, RECORD_BYTES - base.length)) });
}

async function measure(format: 'json' | 'parquet', records: number, env: { kafkaless: Kafkaless; transport: EmbeddedTransport; counter: RequestCounter; store: ConnectorStore; leases: LeaseStore; s3: ReturnType<typeof createS3Client>; lake: string }): Promise<SinkRow> {
  const topic = `sink-${format}-${randomUUID().slice(0, 8)}`;
  await env.kafkaless.admin().createTopics({ topics: [{ topic, numPartitions: 1 }] });
  // Batches of 500 KiB: a send of SEND_BATCH records is one produce request, one ingest object (as a batching producer or the gateway's aggregation makes).
  const producer = env.kafkaless.producer({ 'linger.ms': 0, 'batch.size': SEND_BATCH * RECORD_BYTES * 2 });
  let inputBytes = 0;
  for (let from = 0; from < records; from += SEND_BATCH) {
    const values = Array.from({ length: Math.min(SEND_BATCH, records - from) }, (_, j) => recordValue(from + j));
    inputBytes += values.reduce((n, v) => n + Buffer.byteLength(v), 0);
    await producer.send({ topic, messages: values.map((value) => ({ value, partition: 0 })) });
  }
  await producer.disconnect();

  const name = `bench-${format}`;
  const config = parseConnectorConfig({ name, 'connector.class': 'S3Sink', topics: topic, 's3.bucket.name': env.lake, 'flush.size': FLUSH_SIZE, 'format.class': format });
  if (config.connectorClass !== 'S3Sink') throw new Error('not an S3 sink');
  let outputBytes = 0;
  const s3 = env.s3;
  const counted = { send: async (command: Parameters<typeof s3.send>[0]) => {
    const input = (command as { input?: { Body?: Uint8Array } }).input;
    if (input?.Body instanceof Uint8Array) outputBytes += input.Body.byteLength;
    return s3.send(command);
  } } as unknown as typeof s3;
  const handler = createSinkHandler({ s3: counted, store: env.store, broker: env.transport, faults: NO_FAULTS, now: Date.now, log: () => undefined }, config);
  let handlerMs = 0;
  let invocations = 0;
  const invoke = async (_fn: string, payload: string): Promise<InvocationResult> => {
    const t0 = performance.now();
    invocations++;
    try {
      return { payload: JSON.stringify(await handler(JSON.parse(payload))) };
    } finally {
      handlerMs += performance.now() - t0;
    }
  };
  const spec = subscriptionSpecFor({
    name: `connect-${name}`,
    functionName: name,
    topics: [topic],
    groupId: `connect-${name}-${topic}`,
    batchSize: 10_000,
    maximumBatchingWindowMs: 500,
    functionTimeoutMs: 60_000,
    connector: name,
  });
  env.counter.reset();
  const t0 = performance.now();
  const report = await deliverPartition(
    { broker: env.transport, invoke, leases: env.leases, source: { eventSource: 'aws:kafka', eventSourceArn: 'arn:aws:kafka:::cluster/kafkaless/bench', bootstrapServers: 'kafkaless' }, owner: randomUUID(), now: Date.now, sleep: async () => undefined, random: Math.random, log: () => undefined },
    spec,
    { topic, partition: 0 },
    { deadlineMs: Date.now() + 3_600_000 },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (report.status !== 'caught-up' || report.delivered !== records) throw new Error(`the sink delivered ${report.delivered} of ${records} (${report.status})`);
  const snapshot = env.counter.snapshot();
  return {
    format, records, inputBytes, outputBytes, seconds, handlerSeconds: handlerMs / 1000, invocations,
    s3Puts: countOf(snapshot, 's3:PutObject'), s3Gets: countOf(snapshot, 's3:GetObject'), dynamodbRequests: countOf(snapshot, 'dynamodb:'),
    writeUnits: snapshot.writeUnits, readUnits: snapshot.readUnits,
  };
}

function costPerGib(r: SinkRow): number {
  const gib = r.inputBytes / GIB;
  const p = AWS_PRICES;
  const lambda = (r.seconds + r.handlerSeconds) * FUNCTION_MEMORY_GB * p.lambdaArmPerGbSecond.usd + (r.invocations + 1) * p.lambdaPerRequest.usd;
  const s3 = r.s3Puts * p.s3PutPerRequest.usd + r.s3Gets * p.s3GetPerRequest.usd;
  const dynamodb = r.writeUnits * p.dynamodbWritePerUnit.usd + r.readUnits * p.dynamodbReadPerUnit.usd;
  return (lambda + s3 + dynamodb) / gib;
}

function firehosePerGib(format: 'json' | 'parquet'): number {
  // Each 1 KiB record is billed as 5 KB: 5 GB billed per GB sent.
  const billedGbPerGib = (GIB / 1e9) * Math.max(1, 5 * 1000 / RECORD_BYTES);
  return billedGbPerGib * FIREHOSE_PRICES.directPutPerGb.usd + (format === 'parquet' ? (GIB / 1e9) * FIREHOSE_PRICES.formatConversionPerGb.usd : 0);
}

export async function runConnectBench(options: { quick?: boolean } = {}): Promise<void> {
  const records = options.quick === true ? 5_000 : 20_000;
  const services = await startLocalServices({ mode: 'ephemeral' });
  const common = { region: services.region, credentials: { ...LOCAL_CREDENTIALS }, maxAttempts: 3 };
  const dynamodb = createDynamoDbClient({ ...common, endpoints: { dynamodb: services.dynamodbEndpoint } });
  const s3 = createS3Client({ ...common, endpoints: { s3: services.s3Endpoint } });
  try {
    const tables = tableNamesForPrefix(`bench-connect-${randomUUID().slice(0, 8)}`);
    const bucket = `bench-log-${randomUUID().slice(0, 8)}`;
    const lake = `bench-lake-${randomUUID().slice(0, 8)}`;
    await provisionTables(dynamodb, tables);
    await ensureBucket(s3, bucket);
    await ensureBucket(s3, lake);
    const counter = new RequestCounter();
    counter.watchDynamoDb(dynamodb);
    counter.watchS3(s3);
    const transport = new EmbeddedTransport({ dynamodb, s3, tables, bucket });
    const env = { kafkaless: new Kafkaless({ transport }), transport, counter, store: new ConnectorStore(dynamodb, tables.partitions), leases: new LeaseStore(dynamodb, tables.partitions), s3, lake };
    const rows: SinkRow[] = [];
    for (const format of ['json', 'parquet'] as const) rows.push(await measure(format, records, env));
    printTable(
      `S3 sink: ${int(records)} records of ${RECORD_BYTES} B (JSON) in one partition, flush.size ${FLUSH_SIZE}, one delivery from offset 0`,
      ['format', 'records/s', 'MiB/s in', 'out/in bytes', 'invocations', 'S3 PUT', 'S3 GET', 'DynamoDB req', 'WRU', 'RRU', '$/GiB kafkaless', '$/GiB Firehose'],
      rows.map((r) => [
        r.format, int(r.records / r.seconds), fixed(r.inputBytes / MIB / r.seconds), fixed(r.outputBytes / r.inputBytes, 2), int(r.invocations),
        int(r.s3Puts), int(r.s3Gets), int(r.dynamodbRequests), fixed(r.writeUnits, 0), fixed(r.readUnits, 0), usd(costPerGib(r)), usd(firehosePerGib(r.format)),
      ]),
      [
        'kafkaless: Lambda GB-s (the delivery\'s wall time as the trigger, plus the sink handler\'s as the connector, 1 GB each) and requests,',
        '  S3 PUTs (the sink\'s objects) and GETs (reading the log), DynamoDB units (lease, offset commits, task state), as counted; not the produce side.',
        '  Locally measured time on DynamoDB Local and the S3 server: AWS latencies differ, so the Lambda share is indicative.',
        `Firehose: Direct PUT at $${FIREHOSE_PRICES.directPutPerGb.usd}/GB with each ${RECORD_BYTES} B record rounded up to 5 KB, plus $${FIREHOSE_PRICES.formatConversionPerGb.usd}/GB Parquet conversion;`,
        `  ${FIREHOSE_PRICES.directPutPerGb.source}, as listed on ${PRICES_AS_OF}, unverified. ${PRICES_REGION}, list prices, no free tier.`,
      ],
    );
  } finally {
    dynamodb.destroy();
    s3.destroy();
    await services.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runConnectBench({ quick: process.argv.includes('--quick') }).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
