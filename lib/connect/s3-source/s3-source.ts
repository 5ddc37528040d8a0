/**
 * The S3 source: objects created under a prefix become records of the
 * connector's topic, keyed by the object's key (so one object's records go
 * to one partition, in order). Woken by the bucket's ObjectCreated
 * notifications; `resume` and `restart` send a scan that lists the prefix,
 * so objects that arrived while it was paused or failed are read too.
 *
 * Each object once: its progress is a source offset,
 * `connect#<name>#offset#<bucket>/<key>` → `{ etag, next, done }`, written
 * after each chunk of its records was acknowledged; a notification handed
 * again, a scan, a retry after a crash all start from it, and a done object
 * is skipped (an object written again, with another ETag, is read again).
 * At least once within an object: a crash between a chunk's acknowledgement
 * and its offset's write produces that chunk again.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '../../broker/dispatch.js';
import { Producer } from '../../client/producer/producer.js';
import type { Transport } from '../../client/transport.js';
import { KafkalessError } from '../../errors.js';
import type { ConnectorStore } from '../../storage/connector-store.js';
import type { S3SourceConfig } from '../config/connector-config.js';
import { RecordConversionError } from '../converters.js';
import { objectRecords, type ObjectRecord } from './object-records.js';

export interface S3SourceDeps {
  readonly s3: S3Client;
  readonly broker: Transport;
  readonly store: ConnectorStore;
  readonly now: () => number;
  readonly log: Logger;
}

export interface ObjectRef {
  readonly key: string;
  readonly etag: string;
}

interface ObjectOffset {
  readonly etag: string;
  readonly next: number;
  readonly done: boolean;
}

export interface SourceReport {
  /** Objects read (wholly or from their offset). */
  readonly objects: number;
  /** Objects under the prefix that were done already. */
  readonly skipped: number;
  readonly records: number;
}

/** Records per produce call (and per offset write). */
const CHUNK_RECORDS = 500;
const CHUNK_BYTES = 1024 * 1024;

export function objectSourcePartition(bucket: string, key: string): string {
  return `${bucket}/${key}`;
}

/** The objects of an S3 event notification (keys are URL-encoded, spaces as '+'), or undefined when it is not one. */
export function notifiedObjects(event: unknown): ObjectRef[] | undefined {
  const records = (event as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) return undefined;
  return records.flatMap((r: { eventName?: unknown; s3?: { object?: { key?: unknown; eTag?: unknown } } }) => {
    if (typeof r.eventName !== 'string' || !r.eventName.startsWith('ObjectCreated')) return [];
    const key = r.s3?.object?.key;
    if (typeof key !== 'string') return [];
    return [{ key: decodeURIComponent(key.replace(/\+/g, ' ')), etag: typeof r.s3?.object?.eTag === 'string' ? r.s3.object.eTag.replace(/"/g, '') : '' }];
  });
}

/** Every object under the prefix, in key order. */
export async function listObjects(s3: S3Client, config: S3SourceConfig): Promise<ObjectRef[]> {
  const out: ObjectRef[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: config.bucket, Prefix: config.prefix, ...(token !== undefined ? { ContinuationToken: token } : {}) }));
    for (const o of page.Contents ?? []) if (o.Key !== undefined && !o.Key.endsWith('/')) out.push({ key: o.Key, etag: (o.ETag ?? '').replace(/"/g, '') });
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return out;
}

export async function readObjects(deps: S3SourceDeps, config: S3SourceConfig, objects: readonly ObjectRef[]): Promise<SourceReport> {
  const state = await deps.store.taskState(config.name, 0);
  // Nothing is lost by refusing: resume and restart scan the prefix.
  if (state !== 'RUNNING') throw new Error(`Connector ${config.name} is ${state}: objects are read when it is resumed or restarted`);
  let read = 0;
  let skipped = 0;
  let records = 0;
  for (const object of objects.filter((o) => o.key.startsWith(config.prefix))) {
    const produced = await readObject(deps, config, object);
    if (produced === undefined) skipped++;
    else (read++, (records += produced));
  }
  return { objects: read, skipped, records };
}

/** Produces the object's records not yet produced; undefined when it was done already. */
async function readObject(deps: S3SourceDeps, config: S3SourceConfig, object: ObjectRef): Promise<number | undefined> {
  const partition = objectSourcePartition(config.bucket, object.key);
  const stored = parseOffset((await deps.store.offsets(config.name, [partition])).get(partition));
  if (stored?.done === true && (object.etag === '' || stored.etag === object.etag)) return undefined;
  const reply = await deps.s3.send(new GetObjectCommand({ Bucket: config.bucket, Key: object.key }));
  const etag = (reply.ETag ?? object.etag).replace(/"/g, '');
  if (stored?.done === true && stored.etag === etag) return undefined;
  const body = Buffer.from(await reply.Body!.transformToByteArray());
  const from = stored !== undefined && stored.etag === etag ? stored.next : 0;
  let all: ObjectRecord[];
  try {
    all = objectRecords(config.format, body);
  } catch (err) {
    if (!(err instanceof RecordConversionError)) throw err;
    if (config.errorsTolerance === 'none') {
      await deps.store.failTask(config.name, 0, { trace: err.stack ?? err.message, failedAtMs: deps.now() });
      deps.log('error', 'connector task failed (errors.tolerance=none)', { connector: config.name, key: object.key, error: err.message });
      throw err;
    }
    // Tolerance all: the object's good lines are read, the bad ones skipped.
    all = objectRecords('lines', body).filter((r) => isJson(r.value));
    deps.log('warn', 'connector skipped lines that are not JSON (errors.tolerance=all)', { connector: config.name, key: object.key });
  }
  const pending = all.filter((r) => r.index >= from);
  let produced = 0;
  for (const chunk of chunks(pending)) {
    await produce(deps.broker, config, object.key, chunk);
    produced += chunk.length;
    await deps.store.putOffsets(config.name, new Map([[partition, JSON.stringify({ etag, next: chunk[chunk.length - 1]!.index + 1, done: false })]]), deps.now());
  }
  await deps.store.putOffsets(config.name, new Map([[partition, JSON.stringify({ etag, next: all.length === 0 ? 0 : all[all.length - 1]!.index + 1, done: true })]]), deps.now());
  return produced;
}

function isJson(value: Buffer): boolean {
  const text = value.toString('utf8');
  if (text.trim() === '') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function* chunks(records: readonly ObjectRecord[]): Generator<ObjectRecord[]> {
  let chunk: ObjectRecord[] = [];
  let bytes = 0;
  for (const r of records) {
    if (chunk.length > 0 && (chunk.length >= CHUNK_RECORDS || bytes + r.value.length > CHUNK_BYTES)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(r);
    bytes += r.value.length;
  }
  if (chunk.length > 0) yield chunk;
}

async function produce(broker: Transport, config: S3SourceConfig, key: string, records: readonly ObjectRecord[]): Promise<void> {
  const producer = new Producer(broker, { acks: -1 });
  try {
    await producer.send({ topic: config.topic, messages: records.map((r) => ({ key, value: r.value })) });
  } finally {
    await producer.disconnect();
  }
}

function parseOffset(text: string | undefined): ObjectOffset | undefined {
  if (text === undefined) return undefined;
  try {
    const o = JSON.parse(text) as Partial<ObjectOffset>;
    return typeof o.etag === 'string' && typeof o.next === 'number' ? { etag: o.etag, next: o.next, done: o.done === true } : undefined;
  } catch {
    return undefined;
  }
}

/** The event's objects: those notified, or (a scan, from resume or restart) every object under the prefix. */
export async function handleSourceEvent(deps: S3SourceDeps, config: S3SourceConfig, event: unknown): Promise<SourceReport> {
  const scan = (event as { kafkaless?: { scan?: unknown } } | null)?.kafkaless?.scan === true;
  const objects = scan ? await listObjects(deps.s3, config) : notifiedObjects(event);
  if (objects === undefined) throw new KafkalessError('InvalidRequest', 'Not an S3 event notification nor a scan');
  return readObjects(deps, config, objects);
}
