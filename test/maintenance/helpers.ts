/**
 * Shared pieces of the maintenance tests: a clock tests move by hand, raw
 * produce and fetch calls, maintenance runs on the same tables, and state
 * read back (S3 keys, index items, registry items).
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createBrokerContext } from '../../lib/broker/context.js';
import { createMaintenanceDeps, runMaintenance, type MaintenanceOptions } from '../../lib/broker/maintenance/index.js';
import { call, type Transport } from '../../lib/client/transport.js';
import type { FaultInjector } from '../../lib/faults.js';
import { decodeRecordBatches, encodeRecordBatch, type DecodedRecord, type RecordInput } from '../../lib/log/index.js';
import type { FetchReply, ListOffsetsReply, ProduceReply } from '../../lib/protocol/log-replies.js';
import type { MaintenanceReply } from '../../lib/protocol/maintenance-replies.js';
import type { MaintenanceRunRequest } from '../../lib/protocol/maintenance-requests.js';
import type { TestKafkaless } from '../support/embedded.js';

export const HOUR_MS = 3_600_000;

/** A clock that only moves when told to. */
export interface TestClock {
  readonly now: () => number;
  advance(ms: number): void;
}

export function testClock(startMs = Date.now()): TestClock {
  let t = startMs;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** A seeded PRNG (mulberry32), so a failing run replays. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const TEST_OPTIONS: Partial<MaintenanceOptions> = { gracePeriodMs: HOUR_MS, partitionConcurrency: 2 };

/** Runs maintenance in this process on the test's tables. */
export async function maintain(
  t: TestKafkaless,
  clock: TestClock,
  request: Omit<MaintenanceRunRequest, 'action'> = {},
  extra: { options?: Partial<MaintenanceOptions>; faults?: FaultInjector; random?: () => number } = {},
): Promise<MaintenanceReply> {
  const ctx = createBrokerContext({
    dynamodb: t.clients.dynamodb,
    s3: t.clients.s3,
    tables: t.tables,
    bucket: t.bucket,
    now: clock.now,
    ...(extra.random !== undefined ? { random: extra.random } : {}),
    ...(extra.faults !== undefined ? { faults: extra.faults } : {}),
  });
  const deps = createMaintenanceDeps(ctx, () => undefined, { ...TEST_OPTIONS, ...extra.options });
  return runMaintenance(deps, { action: 'run', ...request });
}

export interface KeyedValue {
  readonly key: string | null;
  readonly value: string | null;
  readonly timestamp: number;
}

export async function produceBatch(transport: Transport, topic: string, partition: number, values: readonly KeyedValue[]): Promise<number> {
  const records: RecordInput[] = values.map((v) => ({
    key: v.key === null ? null : Buffer.from(v.key),
    value: v.value === null ? null : Buffer.from(v.value),
    headers: [],
    timestamp: v.timestamp,
  }));
  const batch = (await encodeRecordBatch(records)).toString('base64');
  const reply = await call<ProduceReply>(transport, 'produce', { action: 'produce', entries: [{ topic, partition, batch }] });
  return reply.entries[0]!.baseOffset;
}

export async function fetchOnce(transport: Transport, topic: string, partition: number, offset: number, maxBytes = 1024 * 1024): Promise<FetchReply['partitions'][number]> {
  const reply = await call<FetchReply>(transport, 'fetch', { action: 'fetch', partitions: [{ topic, partition, offset, maxBytes }], maxBytes });
  return reply.partitions[0]!;
}

export async function recordsOf(fetched: FetchReply['partitions'][number]): Promise<{ records: DecodedRecord[]; nextOffset: number | undefined }> {
  if (fetched.error !== undefined) throw new Error(`${fetched.error.code}: ${fetched.error.message}`);
  const batches = await decodeRecordBatches(Buffer.from(fetched.records, 'base64'));
  const last = batches[batches.length - 1];
  return { records: batches.flatMap((b) => b.records), nextOffset: last === undefined ? undefined : last.baseOffset + last.lastOffsetDelta + 1 };
}

/** Every record from `from` to the high watermark, by repeated fetches, as a consumer reads. */
export async function readAll(transport: Transport, topic: string, partition: number, from = 0, maxBytes = 64 * 1024): Promise<DecodedRecord[]> {
  const out: DecodedRecord[] = [];
  let offset = from;
  for (let i = 0; i < 100_000; i++) {
    const fetched = await fetchOnce(transport, topic, partition, offset, maxBytes);
    if (offset >= fetched.highWatermark) return out;
    const { records, nextOffset } = await recordsOf(fetched);
    out.push(...records.filter((r) => r.offset >= offset));
    if (nextOffset === undefined || nextOffset <= offset) throw new Error(`Fetch at ${offset} made no progress`);
    offset = nextOffset;
  }
  throw new Error('readAll did not finish');
}

export async function offsetForTime(transport: Transport, topic: string, partition: number, timestamp: number): Promise<{ offset: number; timestamp: number }> {
  const reply = await call<ListOffsetsReply>(transport, 'fetch', { action: 'listOffsets', partitions: [{ topic, partition, timestamp }] });
  const { offset, timestamp: found } = reply.partitions[0]!;
  return { offset, timestamp: found };
}

export async function bucketKeys(s3: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const o of out.Contents ?? []) keys.push(o.Key!);
    token = out.IsTruncated === true ? out.NextContinuationToken : undefined;
  } while (token !== undefined);
  return keys.sort();
}

export async function scanTable(t: TestKafkaless, table: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, never> | undefined;
  do {
    const out = await t.clients.dynamodb.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: startKey }));
    items.push(...(out.Items ?? []).map((i) => unmarshall(i)));
    startKey = out.LastEvaluatedKey as Record<string, never> | undefined;
  } while (startKey !== undefined);
  return items;
}

/** Every object some index item points at, with its companions, and the head's bytes per partition key. */
export async function liveState(t: TestKafkaless): Promise<{ referenced: Set<string>; refs: Map<string, number>; items: Record<string, unknown>[] }> {
  const items = await scanTable(t, t.tables.batches);
  const referenced = new Set<string>();
  const refs = new Map<string, number>();
  for (const item of items) {
    const key = String(item.objectKey);
    refs.set(key, (refs.get(key) ?? 0) + 1);
    referenced.add(key);
    if (key.endsWith('.log')) {
      referenced.add(key.replace(/\.log$/, '.index'));
      referenced.add(key.replace(/\.log$/, '.timeindex'));
    }
  }
  return { referenced, refs, items };
}

/** Counts S3 GetObject calls by key suffix on a client (an SDK middleware). */
export function countGets(s3: S3Client): { keys: string[] } {
  const seen = { keys: [] as string[] };
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetObjectCommand') seen.keys.push(String((args.input as { Key?: string }).Key));
      return next(args);
    },
    { step: 'initialize', name: `countGets-${Math.random()}` },
  );
  return seen;
}
