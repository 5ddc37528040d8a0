/**
 * Subscriptions: end-to-end latency from produce to the subscribed
 * function, and what dispatching a million records costs at AWS's prices,
 * beside AWS's Kafka event source mapping and a Kinesis trigger.
 *
 * Latency: the local stack (`startLocalStack`, ephemeral) serving a stack
 * with a subscribed function (bench/fixtures/latency-subscriber.ts, which
 * logs when it got each record); records are produced one at a time through
 * the produce function, each woken through DynamoDB Local's stream (read
 * four times a second when idle, as Lambda reads a DynamoDB stream), the
 * trigger and the function both served from their bundles.
 *
 * Cost: the trigger's handler in this process with every AWS request it
 * sends counted (bench/request-counter.ts: DynamoDB units as AWS bills
 * them, S3 requests), against its own DynamoDB Local and S3 server, woken
 * once per produced batch of B records with the function invoked in process
 * (its own work is the same under every dispatcher, so it is left out).
 *
 *   npx tsx bench/subscriptions.ts [--quick]     or   npm run bench -- --only subscriptions
 */
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { createDynamoDbClient, createS3Client, LOCAL_CREDENTIALS } from '../lib/aws/clients.js';
import { Kafkaless as Client } from '../lib/client/kafkaless.js';
import { call } from '../lib/client/transport.js';
import { EmbeddedTransport } from '../lib/client/transports/embedded.js';
import { LambdaTransport } from '../lib/client/transports/lambda-transport.js';
import { ASSET_METADATA_CONTEXT } from '../lib/infra/app.js';
import { Kafkaless } from '../lib/infra/kafkaless.js';
import { startLocalStack } from '../lib/local/local-stack.js';
import { ensureBucket, provisionTables, tableNamesForPrefix } from '../lib/local/provision.js';
import { startLocalServices } from '../lib/local/services.js';
import { markBundlesCommonJsScope } from '../lib/local/synth-stack.js';
import type { SubscriptionSpec } from '../lib/names.js';
import type { MetadataReply } from '../lib/protocol/log-replies.js';
import { LeaseStore } from '../lib/storage/lease-store.js';
import { createTriggerHandler } from '../lib/triggers/index.js';
import { AWS_PRICES, PEER_PRICES, priceNotes } from '../lib/aws/prices.js';
import { RequestCounter } from './request-counter.js';
import { subscriptionSpecFor } from '../test/support/subscription-spec.js';
import { fixed, printTable, usd } from './table.js';

const REPO = resolve(import.meta.dirname, '..');
const RECORD_BYTES = 1024;
/** The trigger's memory (the construct's default function memory), for its GB-seconds. */
const TRIGGER_MEMORY_GB = 1;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

// ---------------------------------------------------------------- latency

export interface LatencyResult {
  readonly records: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export async function runLatency(records: number, log: (line: string) => void): Promise<LatencyResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kafkaless-bench-sub-'));
  const app = new App({ outdir: join(dir, 'cdk.out'), context: { [ASSET_METADATA_CONTEXT]: true, 'aws:cdk:enable-path-metadata': true } });
  const cdkStack = new Stack(app, 'SubBench');
  const kafkaless = new Kafkaless(cdkStack, 'Kafkaless', { projectRoot: REPO });
  const subscriber = new NodejsFunction(cdkStack, 'Latency', {
    entry: join(REPO, 'bench/fixtures/latency-subscriber.ts'),
    runtime: Runtime.NODEJS_24_X,
    timeout: Duration.seconds(10),
    environment: { LOG_DIR: dir },
    projectRoot: REPO,
    depsLockFilePath: join(REPO, 'package-lock.json'),
    bundling: { format: OutputFormat.ESM, target: 'node20', forceDockerBundling: false },
  });
  kafkaless.subscribe(subscriber, { topics: ['latency'], startingPosition: 'TRIM_HORIZON', maxBatchingWindow: Duration.millis(0) });
  log('  synthesizing and starting a stack with one subscription ...');
  const assembly = app.synth();
  markBundlesCommonJsScope(assembly.directory);
  const stack = await startLocalStack({ projectRoot: dir, mode: 'ephemeral', assembly: { stackName: 'SubBench', template: assembly.getStackByName('SubBench').template as unknown, assemblyDir: assembly.directory } });
  const { state } = stack;
  const client = new Client({ transport: new LambdaTransport({ functions: state.functions, region: state.region, endpoint: state.endpoints.lambda, credentials: { ...LOCAL_CREDENTIALS } }) });
  try {
    await client.admin().createTopics({ topics: [{ topic: 'latency', numPartitions: 1 }] });
    const producer = client.producer({ 'linger.ms': 0 });
    const file = join(dir, 'received.jsonl');
    const received = (): { value: string; receivedAt: number }[] =>
      existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { value: string; receivedAt: number }) : [];
    const latencies: number[] = [];
    // A warm-up record: the workers of the trigger and the function start.
    for (let i = -1; i < records; i++) {
      const sentAt = Date.now();
      await producer.send({ topic: 'latency', messages: [{ value: JSON.stringify({ i, sentAt }) }] });
      const limit = Date.now() + 60_000;
      let got: { value: string; receivedAt: number } | undefined;
      while (got === undefined && Date.now() < limit) {
        got = received().find((r) => (JSON.parse(r.value) as { i: number }).i === i);
        if (got === undefined) await new Promise((r) => setTimeout(r, 5));
      }
      if (got === undefined) throw new Error(`record ${i} was not delivered within a minute`);
      if (i >= 0) latencies.push(got.receivedAt - sentAt);
      // Apart, so each record is a wake-up of its own (an idle stack's latency).
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
    await producer.disconnect();
    latencies.sort((a, b) => a - b);
    return { records, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: latencies[latencies.length - 1] ?? NaN };
  } finally {
    await client.close();
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- dispatch cost

export interface DispatchRow {
  readonly label: string;
  readonly batchRecords: number;
  readonly wakes: number;
  readonly dynamodbRequestsPerWake: number;
  readonly wruPerWake: number;
  readonly rruPerWake: number;
  readonly s3GetsPerWake: number;
  readonly triggerMsPerWake: number;
  /** USD per million records delivered. */
  readonly perMillion: { readonly dynamodb: number; readonly s3: number; readonly lambda: number; readonly total: number };
}

function spec(topic: string, exactlyOnce: boolean): SubscriptionSpec {
  return subscriptionSpecFor({
    name: `bench-${topic}`,
    functionName: 'bench',
    topics: [topic],
    groupId: `group-${topic}`,
    batchSize: 10_000,
    parallelism: 10,
    functionTimeoutMs: 30_000,
    ...(exactlyOnce ? { exactlyOnce: true } : {}),
  });
}

export async function runDispatchCosts(quick: boolean): Promise<DispatchRow[]> {
  const services = await startLocalServices({ mode: 'ephemeral' });
  const common = { region: services.region, credentials: { ...LOCAL_CREDENTIALS }, maxAttempts: 3 };
  const dynamodb = createDynamoDbClient({ ...common, endpoints: { dynamodb: services.dynamodbEndpoint } });
  const s3 = createS3Client({ ...common, endpoints: { s3: services.s3Endpoint } });
  try {
    const tables = tableNamesForPrefix(`bench-sub-${randomUUID().slice(0, 8)}`);
    const bucket = `bench-sub-${randomUUID().slice(0, 8)}`;
    await provisionTables(dynamodb, tables);
    await ensureBucket(s3, bucket);
    const counter = new RequestCounter();
    counter.watchDynamoDb(dynamodb);
    counter.watchS3(s3);
    const transport = new EmbeddedTransport({ dynamodb, s3, tables, bucket });
    const kafkaless = new Client({ transport });
    const leases = new LeaseStore(dynamodb, tables.partitions);
    const rows: DispatchRow[] = [];
    const wakes = quick ? 5 : 20;
    const cases: [string, number, boolean][] = [
      ['at least once', 1, false],
      ['at least once', 10, false],
      ['at least once', 100, false],
      ['exactly once', 100, true],
    ];
    for (const [label, batchRecords, exactlyOnce] of cases) {
      const topic = `t-${randomUUID().slice(0, 8)}`;
      await kafkaless.admin().createTopics({ topics: [{ topic, numPartitions: 1 }] });
      const { topics } = await call<MetadataReply>(transport, 'fetch', { action: 'metadata', topics: [topic] });
      const pk = `${topics[0]!.topicId}#0`;
      const producer = kafkaless.producer({ 'linger.ms': 0 });
      const handler = createTriggerHandler(
        () => ({
          broker: transport,
          invoke: async () => ({ payload: 'null' }),
          leases,
          source: { eventSource: 'aws:kafka', eventSourceArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/kafkaless/bench', bootstrapServers: 'kafkaless' },
          owner: randomUUID(),
          now: Date.now,
          sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
          random: Math.random,
          log: () => undefined,
        }),
        [spec(topic, exactlyOnce)],
      );
      let hw = 0;
      const wake = async (): Promise<number> => {
        await producer.send({ topic, messages: Array.from({ length: batchRecords }, () => ({ value: Buffer.alloc(RECORD_BYTES, 'x'), partition: 0 })) });
        const previous = hw;
        hw += batchRecords;
        const event = { Records: [{ eventName: 'MODIFY', dynamodb: { Keys: { pk: { S: pk } }, NewImage: { pk: { S: pk }, highWatermark: { N: String(hw) } }, OldImage: { highWatermark: { N: String(previous) } }, SequenceNumber: String(hw) } }] };
        counter.reset();
        const t0 = performance.now();
        const reply = await handler(event, { getRemainingTimeInMillis: () => 60_000 });
        const ms = performance.now() - t0;
        if (reply.batchItemFailures.length > 0) throw new Error('a wake-up did not finish');
        return ms;
      };
      await wake(); // warm: caches, the group and (exactly once) the transactional id
      let dynamodbRequests = 0;
      let wru = 0;
      let rru = 0;
      let gets = 0;
      let ms = 0;
      for (let i = 0; i < wakes; i++) {
        ms += await wake();
        const snap = counter.snapshot();
        for (const [k, v] of Object.entries(snap.requests)) {
          if (k.startsWith('dynamodb:')) dynamodbRequests += v;
          if (k === 's3:GetObject') gets += v;
        }
        wru += snap.writeUnits;
        rru += snap.readUnits;
      }
      await producer.disconnect();
      const perWake = (n: number): number => n / wakes;
      const wakesPerMillion = 1e6 / batchRecords;
      const ddb = (perWake(wru) * AWS_PRICES.dynamodbWritePerUnit.usd + perWake(rru) * AWS_PRICES.dynamodbReadPerUnit.usd) * wakesPerMillion;
      const s3Cost = perWake(gets) * AWS_PRICES.s3GetPerRequest.usd * wakesPerMillion;
      // The trigger's invocation and its GB-seconds, and the subscribed function's invocation (its own run excluded).
      const lambda = (2 * AWS_PRICES.lambdaPerRequest.usd + (perWake(ms) / 1000) * TRIGGER_MEMORY_GB * AWS_PRICES.lambdaArmPerGbSecond.usd) * wakesPerMillion;
      rows.push({
        label,
        batchRecords,
        wakes,
        dynamodbRequestsPerWake: perWake(dynamodbRequests),
        wruPerWake: perWake(wru),
        rruPerWake: perWake(rru),
        s3GetsPerWake: perWake(gets),
        triggerMsPerWake: perWake(ms),
        perMillion: { dynamodb: ddb, s3: s3Cost, lambda, total: ddb + s3Cost + lambda },
      });
    }
    return rows;
  } finally {
    dynamodb.destroy();
    s3.destroy();
    await services.stop();
  }
}

/** What AWS's own triggers cost per million 1 KiB records at a batch of `batch`: invocations and data out, no fixed hourly charges. */
export function peerCosts(batch: number): { kafkaEsm: number; kinesis: number } {
  const invocations = (1e6 / batch) * AWS_PRICES.lambdaPerRequest.usd;
  const gb = (1e6 * RECORD_BYTES) / 1e9;
  return { kafkaEsm: invocations + gb * PEER_PRICES.mskServerlessOutPerGb.usd, kinesis: invocations + gb * PEER_PRICES.kinesisOnDemandOutPerGb.usd };
}

export function printSubscriptions(latency: LatencyResult | undefined, rows: readonly DispatchRow[]): void {
  if (latency !== undefined) {
    printTable(
      'Produce → subscribed function, locally (one record at a time, each its own wake-up)',
      ['records', 'p50 ms', 'p99 ms', 'max ms'],
      [[String(latency.records), fixed(latency.p50Ms, 0), fixed(latency.p99Ms, 0), fixed(latency.maxMs, 0)]],
      ['From before producer.send to the function handling the record: the produce, the stream poll (4 a second when idle), the trigger, the invocation.'],
    );
  }
  printTable(
    `Dispatch cost per million ${RECORD_BYTES}-byte records (the trigger's requests counted; the subscribed function's own run left out)`,
    ['delivery', 'records/wake', 'DDB req/wake', 'WRU/wake', 'RRU/wake', 'S3 GET/wake', 'trigger ms/wake', 'DynamoDB', 'S3', 'Lambda', 'total', 'Kafka ESM', 'Kinesis'],
    rows.map((r) => {
      const peers = peerCosts(r.batchRecords);
      return [
        r.label,
        String(r.batchRecords),
        fixed(r.dynamodbRequestsPerWake, 1),
        fixed(r.wruPerWake, 1),
        fixed(r.rruPerWake, 1),
        fixed(r.s3GetsPerWake, 1),
        fixed(r.triggerMsPerWake, 0),
        usd(r.perMillion.dynamodb),
        usd(r.perMillion.s3),
        usd(r.perMillion.lambda),
        usd(r.perMillion.total),
        usd(peers.kafkaEsm),
        usd(peers.kinesis),
      ];
    }),
    [
      'One wake-up per produced batch (a DynamoDB stream record per commit; Lambda reads DynamoDB streams for its triggers at no charge).',
      "kafkaless: the trigger's DynamoDB units and S3 GETs as AWS bills them, its invocation and GB-seconds (1 GB, at this machine's duration), and the subscribed function's invocation.",
      "Kafka ESM: the function's invocations at the same batch size plus MSK Serverless data out (on-demand ESM has no charge of its own; the cluster's $0.75/hour and partition-hours are left out).",
      'Kinesis: the same invocations plus on-demand data retrieval (its stream-hours left out). Neither peer was run here: list-price arithmetic.',
      ...priceNotes(),
    ],
  );
}

export async function runSubscriptionsBench(options: { quick?: boolean } = {}): Promise<void> {
  const quick = options.quick ?? false;
  const log = (line: string): void => console.log(line);
  log('  dispatch cost: the trigger in process, its requests counted ...');
  const rows = await runDispatchCosts(quick);
  log('  latency: a subscription on the local stack ...');
  const latency = await runLatency(quick ? 20 : 100, log);
  printSubscriptions(latency, rows);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runSubscriptionsBench({ quick: process.argv.includes('--quick') }).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
