/**
 * What the stack costs per day, estimated from what it records itself: the
 * bytes in its bucket, the commits of the last window read back from the
 * batch index (one commit = one ingest object: one S3 PUT and one DynamoDB
 * transaction), and the last maintenance run. Each line says what it
 * counted and which price it used (lib/aws/prices.ts, the table the bench's
 * cost tables use); what the stack does not record is listed as left out.
 */
import { AWS_PRICES, FUNCTION_MEMORY_GB, HOURS_PER_MONTH, PRICES_AS_OF, PRICES_REGION, type Price } from '../aws/prices.js';
import type { CommitActivity, MaintenanceRunRecord, StorageSummaryReply } from '../protocol/inspection-replies.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const GB = 1e9;
/** The construct's default maintenance schedule, rate(5 minutes). */
export const MAINTENANCE_RUNS_PER_DAY = 288;
/** Objects per S3 LIST page (ListObjectsV2's maximum). */
const LIST_PAGE = 1000;

export interface CostLine {
  readonly item: string;
  /** How many units a day. */
  readonly quantity: number;
  readonly unit: string;
  readonly price: Price;
  readonly usdPerDay: number;
  /** How the quantity was found. */
  readonly basis: string;
}

export interface CostEstimate {
  readonly usdPerDay: number;
  readonly lines: readonly CostLine[];
  readonly perTopic: readonly { readonly topic: string; readonly usdPerDay: number; readonly storageUsdPerDay: number; readonly commitsPerDay: number }[];
  readonly notIncluded: readonly string[];
  readonly prices: { readonly region: string; readonly asOf: string };
}

function line(item: string, quantity: number, unit: string, price: Price, basis: string): CostLine {
  return { item, quantity, unit, price, usdPerDay: quantity * price.usd, basis };
}

/** Write request units a window's commits used: 2 per item written in a transaction (each under 1 KB). */
export function commitWriteUnits(a: CommitActivity): number {
  // Per index item: the item and its partition head; per producer batch: its producer state; per commit: the object's registry item.
  return 2 * (2 * a.items + a.producerItems + a.commits);
}

function storageUsdPerDay(bytes: number): number {
  return (bytes / GB) * AWS_PRICES.s3StoragePerGbMonth.usd * (24 / HOURS_PER_MONTH);
}

/** The longest of the last runs' steps that covered everything, in seconds (one run's duration). */
function maintenanceSeconds(runs: readonly MaintenanceRunRecord[]): number | undefined {
  const whole = runs.filter((r) => r.scope.topic === undefined);
  if (whole.length === 0) return undefined;
  return Math.max(...whole.map((r) => r.finishedAt - r.startedAt)) / 1000;
}

export function estimateCost(summary: StorageSummaryReply): CostEstimate {
  const perDay = DAY_MS / summary.windowMs;
  const windowText = `${Math.round(summary.windowMs / 60_000)} min`;
  const stored = summary.objects.ingest.bytes + summary.objects.segments.bytes + summary.objects.other.bytes;
  const c = summary.commits;
  const lines: CostLine[] = [
    line('S3 storage', (stored / GB) * (24 / HOURS_PER_MONTH), 'GB-months', AWS_PRICES.s3StoragePerGbMonth, `${(stored / GB).toFixed(6)} GB in the bucket now, for 24 of a month's ${HOURS_PER_MONTH} hours`),
    line('S3 PUTs of produce commits', c.commits * perDay, 'requests', AWS_PRICES.s3PutPerRequest, `${c.commits} commit(s) in the last ${windowText}, one ingest object each, times ${perDay.toFixed(0)}`),
    line(
      'DynamoDB writes of produce commits',
      commitWriteUnits(c) * perDay,
      'write units',
      AWS_PRICES.dynamodbWritePerUnit,
      `2 units per transaction item: ${c.items} index item(s) and as many partition heads, ${c.producerItems} producer state(s), ${c.commits} registry item(s) in the last ${windowText}, times ${perDay.toFixed(0)}`,
    ),
    line('Lambda requests of produce commits', c.commits * perDay, 'requests', AWS_PRICES.lambdaPerRequest, 'one produce invocation per commit (a gateway commits in its own container instead)'),
  ];
  const seconds = maintenanceSeconds(summary.runs);
  if (seconds !== undefined) {
    lines.push(
      line('Lambda compute of maintenance', seconds * FUNCTION_MEMORY_GB * MAINTENANCE_RUNS_PER_DAY, 'GB-seconds', AWS_PRICES.lambdaArmPerGbSecond, `the last full run took ${seconds.toFixed(1)} s at ${FUNCTION_MEMORY_GB} GB, ${MAINTENANCE_RUNS_PER_DAY} runs a day (the default schedule, every 5 minutes)`),
      line('Lambda requests of maintenance', MAINTENANCE_RUNS_PER_DAY, 'requests', AWS_PRICES.lambdaPerRequest, `${MAINTENANCE_RUNS_PER_DAY} scheduled runs a day`),
    );
  }
  lines.push(
    line('S3 LISTs of the collector', Math.max(1, Math.ceil(summary.objects.ingest.count / LIST_PAGE)) * MAINTENANCE_RUNS_PER_DAY, 'requests', AWS_PRICES.s3PutPerRequest, `each run lists the ingest objects (${summary.objects.ingest.count} now), ${LIST_PAGE} a page`),
  );
  const perTopic = summary.topics.map((t) => {
    const storage = storageUsdPerDay(t.storedBytes);
    const commits = t.commits * perDay;
    const requests = commits * (AWS_PRICES.s3PutPerRequest.usd + AWS_PRICES.lambdaPerRequest.usd) + commitWriteUnits(t) * perDay * AWS_PRICES.dynamodbWritePerUnit.usd;
    return { topic: t.topic, usdPerDay: storage + requests, storageUsdPerDay: storage, commitsPerDay: commits };
  });
  return {
    usdPerDay: lines.reduce((sum, l) => sum + l.usdPerDay, 0),
    lines,
    perTopic,
    notIncluded: [
      'reads: consumers\u2019 fetches (S3 GETs, DynamoDB reads, fetch invocations) are not recorded by the stack',
      'Lambda compute of produce, fetch, admin and group invocations: their durations are not recorded',
      'consumer-group heartbeats and offset commits',
      'maintenance\u2019s own DynamoDB reads and writes (leases, scans of the registry) and segment rolls\u2019 GETs and PUTs',
      'DynamoDB storage, the gateway\u2019s container if one runs, data transfer, the free tier',
    ],
    prices: { region: PRICES_REGION, asOf: PRICES_AS_OF },
  };
}
