/**
 * Transactions: throughput, latency and AWS requests per transaction, for
 * transactions touching 1, 10 and 30 partitions. Each transaction sends one
 * 1 KiB record to every partition (one produce request) and commits one
 * consumer offset with it, as a consume-transform-produce round does; one
 * producer runs them back to back. Its own local services (DynamoDB Local,
 * the S3 server), the broker embedded in this process, and every request
 * its AWS clients send counted with SDK middleware (`finalizeRequest`, once
 * per HTTP attempt). Latencies are DynamoDB Local's, not AWS's: compare the
 * rows, and read the request counts as what AWS would bill.
 *
 *   npx tsx bench/transactions.ts
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { createDynamoDbClient, createS3Client, LOCAL_CREDENTIALS } from '../lib/aws/clients.js';
import { Kafkaless } from '../lib/client/kafkaless.js';
import { call } from '../lib/client/transport.js';
import { EmbeddedTransport } from '../lib/client/transports/embedded.js';
import { ensureBucket, provisionTables, tableNamesForPrefix } from '../lib/local/provision.js';
import { startLocalServices } from '../lib/local/services.js';

const PARTITION_COUNTS = [1, 10, 30] as const;
const TRANSACTIONS = 30;
const WARM_UP = 10;
const VALUE = Buffer.alloc(1024, 'x');

export interface TransactionsRow {
  readonly partitions: number;
  readonly transactions: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly dynamodbPerTxn: number;
  readonly s3PerTxn: number;
  /** DynamoDB requests per transaction, by operation. */
  readonly byOperation: Readonly<Record<string, number>>;
}

/** Counts every request a client sends, by `service:Operation`. */
class Counter {
  readonly counts = new Map<string, number>();

  watch(client: DynamoDBClient | S3Client, service: string): void {
    const stack = client.middlewareStack as unknown as {
      add(mw: (next: (a: unknown) => Promise<unknown>, ctx: { commandName?: string }) => (a: unknown) => Promise<unknown>, o: object): void;
    };
    stack.add(
      (next, ctx) => async (args) => {
        const key = `${service}:${String(ctx.commandName).replace(/Command$/, '')}`;
        this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
        return next(args);
      },
      { step: 'finalizeRequest', name: `txnBenchCounter-${service}`, override: true },
    );
  }

  reset(): void {
    this.counts.clear();
  }

  total(prefix: string): number {
    let n = 0;
    for (const [k, v] of this.counts) if (k.startsWith(prefix)) n += v;
    return n;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function measure(kafkaless: Kafkaless, counter: Counter, partitions: number): Promise<TransactionsRow> {
  const id = randomUUID().slice(0, 8);
  const topic = `out-${partitions}-${id}`;
  const input = `in-${partitions}-${id}`;
  const group = `group-${id}`;
  await kafkaless.admin().createTopics({ topics: [{ topic, numPartitions: partitions }, { topic: input, numPartitions: 1 }] });
  await call(kafkaless.transport, 'group', { action: 'commitOffsets', groupId: group, offsets: [{ topic: input, partition: 0, offset: 0 }] });
  const producer = kafkaless.producer({ 'transactional.id': `bench-${id}`, 'linger.ms': 0 });
  const messages = Array.from({ length: partitions }, (_, partition) => ({ value: VALUE, partition }));
  const one = async (i: number): Promise<void> => {
    const txn = await producer.transaction();
    await txn.send({ topic, messages });
    await txn.sendOffsets({ consumerGroupId: group, topics: [{ topic: input, partitions: [{ partition: 0, offset: i + 1 }] }] });
    await txn.commit();
  };
  for (let i = 0; i < WARM_UP; i++) await one(i);
  counter.reset();
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = WARM_UP; i < WARM_UP + TRANSACTIONS; i++) {
    const t0 = performance.now();
    await one(i);
    latencies.push(performance.now() - t0);
  }
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const byOperation: Record<string, number> = {};
  for (const [k, v] of [...counter.counts].sort()) if (k.startsWith('dynamodb:')) byOperation[k.slice(9)] = v / TRANSACTIONS;
  return {
    partitions,
    transactions: TRANSACTIONS,
    perSecond: TRANSACTIONS / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    dynamodbPerTxn: counter.total('dynamodb:') / TRANSACTIONS,
    s3PerTxn: counter.total('s3:') / TRANSACTIONS,
    byOperation,
  };
}

function printRows(rows: readonly TransactionsRow[]): void {
  const header = ['partitions', 'txn/s', 'p50 ms', 'p99 ms', 'DynamoDB req/txn', 'S3 req/txn', 'DynamoDB requests per txn, by operation'];
  const cells = rows.map((r) => [
    String(r.partitions),
    r.perSecond.toFixed(1),
    r.p50Ms.toFixed(0),
    r.p99Ms.toFixed(0),
    r.dynamodbPerTxn.toFixed(1),
    r.s3PerTxn.toFixed(1),
    Object.entries(r.byOperation)
      .map(([op, n]) => `${op} ${n.toFixed(1)}`)
      .join(', '),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const line = (row: readonly string[]) => row.map((cell, c) => (c === row.length - 1 ? cell : cell.padStart(widths[c]!))).join('  ');
  console.log(`\nTransactions: one 1 KiB record per partition + one offset commit each, ${TRANSACTIONS} in a row (after ${WARM_UP} to warm up)\n`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of cells) console.log(line(row));
}

export async function runTransactionsBench(): Promise<void> {
  const services = await startLocalServices({ mode: 'ephemeral' });
  const common = { region: services.region, credentials: { ...LOCAL_CREDENTIALS }, maxAttempts: 3 };
  const dynamodb = createDynamoDbClient({ ...common, endpoints: { dynamodb: services.dynamodbEndpoint } });
  const s3 = createS3Client({ ...common, endpoints: { s3: services.s3Endpoint } });
  try {
    const tables = tableNamesForPrefix(`bench-txn-${randomUUID().slice(0, 8)}`);
    const bucket = `bench-txn-${randomUUID().slice(0, 8)}`;
    await provisionTables(dynamodb, tables);
    await ensureBucket(s3, bucket);
    const counter = new Counter();
    counter.watch(dynamodb, 'dynamodb');
    counter.watch(s3, 's3');
    const kafkaless = new Kafkaless({ transport: new EmbeddedTransport({ dynamodb, s3, tables, bucket }) });
    const rows: TransactionsRow[] = [];
    for (const partitions of PARTITION_COUNTS) rows.push(await measure(kafkaless, counter, partitions));
    printRows(rows);
  } finally {
    dynamodb.destroy();
    s3.destroy();
    await services.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runTransactionsBench().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
