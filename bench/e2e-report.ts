/** Tables for the end-to-end flows: throughput, AWS requests per MiB, and AWS cost per GiB against peers' list prices. */
import { AWS_PRICES, FUNCTION_MEMORY_GB, HOURS_PER_MONTH, PEER_PRICES, priceNotes } from '../lib/aws/prices.js';
import type { FailedFlow, FlowResult, PhaseResult } from './e2e.js';
import { countOf } from './request-counter.js';
import { fixed, GIB, int, MIB, printTable, usd } from './table.js';

const meanMs = (p: PhaseResult): number => (p.invocations.count === 0 ? Number.NaN : (1000 * p.invocations.seconds) / p.invocations.count);

const label = (r: FlowResult): string => `${r.transport}${r.fallback !== undefined ? '†' : ''}`;

export function printThroughput(results: readonly FlowResult[], failures: readonly FailedFlow[]): void {
  const rows = results.map((r) => [
    label(r),
    int(r.batchRecords),
    int(r.records),
    int(r.records / r.produce.seconds),
    fixed(r.valueBytes / MIB / r.produce.seconds),
    fixed(meanMs(r.produce), 1),
    int(r.records / r.consume.seconds),
    fixed(r.valueBytes / MIB / r.consume.seconds),
    fixed(meanMs(r.consume), 1),
  ]);
  const notes = [
    'MiB/s counts record values (1 KiB each). One partition; producer defaults except batch.size; consumer defaults.',
    'call ms: mean time of one produce (or fetch) invocation as the client saw it.',
    ...fallbackNotes(results),
    ...failures.map((f) => `FAILED: ${f.transport}, ${f.batchRecords} records/batch, no figures: ${f.errors.join(' | then, one request in flight: ')}`),
  ];
  for (const f of failures) rows.push([`${f.transport} (failed)`, int(f.batchRecords), '-', '-', '-', '-', '-', '-', '-']);
  printTable('End to end on the local stack: throughput', ['transport', 'records/batch', 'records', 'produce rec/s', 'produce MiB/s', 'call ms', 'consume rec/s', 'consume MiB/s', 'call ms'], rows, notes);
}

function fallbackNotes(results: readonly FlowResult[]): string[] {
  return results
    .filter((r) => r.fallback !== undefined)
    .map((r) => `† ${r.transport}, ${r.batchRecords} records/batch failed with the default settings (${r.fallback!.error}); its figures are from a run with max.in.flight.requests.per.connection=1.`);
}

const perMib = (n: number, r: FlowResult): string => fixed(n / (r.valueBytes / MIB), 2);

export function printRequests(results: readonly FlowResult[]): void {
  const rows: string[][] = [];
  for (const r of results) {
    const p = r.produce.counts;
    const c = r.consume.counts;
    const transactions = p === undefined ? 0 : countOf(p, 'dynamodb:TransactWriteItems');
    rows.push([
      label(r),
      int(r.batchRecords),
      perMib(r.produce.s3ServerPuts, r),
      p === undefined ? '-' : perMib(transactions, r),
      p === undefined ? '-' : perMib(countOf(p, 'dynamodb:') - transactions, r),
      p === undefined || transactions === 0 ? '-' : fixed(p.transactItems / transactions, 1),
      p === undefined || transactions === 0 ? '-' : fixed(p.writeUnits / transactions, 1),
      perMib(r.produce.invocations.count, r),
      perMib(r.consume.s3ServerGets, r),
      c === undefined ? '-' : perMib(countOf(c, 'dynamodb:'), r),
      c === undefined ? '-' : perMib(c.readUnits, r),
      perMib(r.consume.invocations.count, r),
    ]);
  }
  printTable(
    'AWS requests per MiB of record values',
    ['transport', 'records/batch', 'S3 PUT', 'DDB TransactWrite', 'DDB other', 'items/txn', 'WRU/txn', 'produce calls', 'S3 GET', 'DDB reads', 'RRU', 'fetch calls'],
    rows,
    [
      'Produce: S3 PUT, DynamoDB TransactWriteItems and other DynamoDB requests, items and write units per transaction, produce invocations.',
      'Consume: S3 GET, DynamoDB read requests and read units, fetch invocations.',
      'S3 requests are counted at the S3 server (both transports); DynamoDB requests by SDK middleware on the embedded path only',
      '(the Lambda functions run the same handler code, in worker threads this process cannot instrument).',
      'WRU per transaction follows AWS\'s rule (2 per item per started KB, ConditionCheck charged as a write); RRU is what the server reported.',
    ],
  );
}

interface PhaseCost {
  readonly s3: number;
  readonly dynamodb: number;
  readonly lambda: number;
}

const total = (c: PhaseCost): number => c.s3 + c.dynamodb + c.lambda;

/** Dollars per GiB of values for one phase, from the embedded counts and the given invocation timings. */
function phaseCostPerGib(r: FlowResult, phase: PhaseResult, timings: PhaseResult, s3: 'put' | 'get'): PhaseCost {
  const gib = r.valueBytes / GIB;
  const counts = phase.counts!;
  const s3Requests = s3 === 'put' ? phase.s3ServerPuts : phase.s3ServerGets;
  const s3Price = s3 === 'put' ? AWS_PRICES.s3PutPerRequest.usd : AWS_PRICES.s3GetPerRequest.usd;
  const perInvocationSeconds = timings.invocations.count === 0 ? 0 : timings.invocations.seconds / timings.invocations.count;
  const lambda =
    phase.invocations.count * AWS_PRICES.lambdaPerRequest.usd +
    phase.invocations.count * perInvocationSeconds * FUNCTION_MEMORY_GB * AWS_PRICES.lambdaArmPerGbSecond.usd;
  return {
    s3: (s3Requests * s3Price) / gib,
    dynamodb: (counts.writeUnits * AWS_PRICES.dynamodbWritePerUnit.usd + counts.readUnits * AWS_PRICES.dynamodbReadPerUnit.usd) / gib,
    lambda: lambda / gib,
  };
}

export function printCosts(results: readonly FlowResult[]): void {
  const rows: string[][] = [];
  for (const r of results.filter((x) => x.transport === 'embedded')) {
    const viaLambda = results.find((x) => x.transport === 'lambda' && x.batchRecords === r.batchRecords);
    const timed = viaLambda ?? r;
    const produce = phaseCostPerGib(r, r.produce, timed.produce, 'put');
    const consume = phaseCostPerGib(r, r.consume, timed.consume, 'get');
    rows.push([
      `kafkaless, ${r.batchRecords} rec/batch`,
      usd(produce.s3),
      usd(produce.dynamodb),
      usd(produce.lambda),
      usd(total(produce)),
      usd(consume.s3),
      usd(consume.dynamodb),
      usd(consume.lambda),
      usd(total(consume)),
      `S3 ${usd(AWS_PRICES.s3StoragePerGbMonth.usd)}/GiB-month stored`,
    ]);
  }
  const k = PEER_PRICES;
  rows.push(['Kinesis on-demand (list)', '-', '-', '-', usd(k.kinesisOnDemandInPerGb.usd), '-', '-', '-', usd(k.kinesisOnDemandOutPerGb.usd), `${usd(k.kinesisOnDemandStreamHour.usd * HOURS_PER_MONTH)}/stream-month`]);
  rows.push([
    'MSK Serverless (list)',
    '-',
    '-',
    '-',
    usd(k.mskServerlessInPerGb.usd),
    '-',
    '-',
    '-',
    usd(k.mskServerlessOutPerGb.usd),
    `${usd(k.mskServerlessClusterHour.usd * HOURS_PER_MONTH)}/cluster-month + ${usd(k.mskServerlessPartitionHour.usd * HOURS_PER_MONTH)}/partition-month`,
  ]);
  printTable(
    'AWS cost per GiB of record values (us-east-1 list prices; arithmetic, not a bill)',
    ['system', 'produce S3', 'produce DDB', 'produce Lambda', 'produce total', 'consume S3', 'consume DDB', 'consume Lambda', 'consume total', 'fixed / storage'],
    rows,
    [
      'kafkaless rows: request counts from the embedded runs above, priced at list; Lambda = invocations x ($0.20/M + mean',
      `invocation time on the local stack x ${FUNCTION_MEMORY_GB} GB x arm64 GB-s price) — local durations stand in for AWS ones, which differ.`,
      'No fixed cost: nothing runs or is billed while idle except stored bytes (S3, plus DynamoDB index items).',
      'Segment compaction, retention and garbage collection (maintenance) are not included.',
      'Peer rows are list-price arithmetic only (no peer was run). Kinesis bills each record rounded up to 1 KB: a 1 KiB value',
      'plus its partition key bills as 2 KB, so these records would cost twice the Kinesis figure shown.',
      ...priceNotes(),
    ],
  );
}
