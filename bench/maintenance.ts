/**
 * Maintenance benchmark, on ephemeral local services (DynamoDB Local, s3rver):
 *
 *  1. produces PARTITIONS × BATCHES batches of ~16 KiB (64 records of 200
 *     bytes) through the embedded broker, one produce call per batch;
 *  2. reads every partition back with 1 MiB fetches: MB/s and S3 GETs per MB,
 *     with the log still in ingest objects;
 *  3. runs the segment roller: MB/s and its AWS requests per GB rolled;
 *  4. reads everything back again, now through segments and their `.index`.
 *
 * AWS requests are counted with an SDK middleware on the clients (every HTTP
 * attempt). Local services are not AWS: throughput here is about the code
 * path and the request counts, which carry over. Run:
 * `npx tsx bench/maintenance.ts [partitions] [batchesPerPartition]`.
 */
import { pathToFileURL } from 'node:url';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { createAwsClients, LOCAL_CREDENTIALS } from '../lib/aws/clients.js';
import { createBrokerContext } from '../lib/broker/context.js';
import { createMaintenanceDeps, runMaintenance } from '../lib/broker/maintenance/index.js';
import { Kafkaless } from '../lib/client/kafkaless.js';
import { call } from '../lib/client/transport.js';
import { EmbeddedTransport } from '../lib/client/transports/embedded.js';
import { decodeRecordBatches, encodeRecordBatch } from '../lib/log/index.js';
import { ensureBucket, provisionTables, tableNamesForPrefix } from '../lib/local/provision.js';
import { startLocalServices } from '../lib/local/services.js';
import type { FetchReply } from '../lib/protocol/log-replies.js';

const TOPIC = 'bench';
const RECORDS_PER_BATCH = 64;
const VALUE_BYTES = 200;
const FETCH_MAX_BYTES = 1024 * 1024;
const MB = 1024 * 1024;
const GB = 1024 * MB;

class RequestCounter {
  private counts = new Map<string, number>();

  watch(service: string, client: S3Client | DynamoDBClient): void {
    (client as S3Client).middlewareStack.add(
      (next, context) => async (args) => {
        const name = `${service}:${String(context.commandName).replace(/Command$/, '')}`;
        this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
        return next(args);
      },
      { step: 'finalizeRequest', name: `benchCounter-${service}` },
    );
  }

  reset(): void {
    this.counts = new Map();
  }

  get(name: string): number {
    return this.counts.get(name) ?? 0;
  }

  entries(): [string, number][] {
    return [...this.counts].sort(([a], [b]) => a.localeCompare(b));
  }
}

interface ReadResult {
  readonly bytes: number;
  readonly records: number;
  readonly fetches: number;
  readonly ms: number;
}

async function readPartition(transport: EmbeddedTransport, partition: number): Promise<{ bytes: number; records: number; fetches: number }> {
  let offset = 0;
  let bytes = 0;
  let records = 0;
  let fetches = 0;
  for (;;) {
    const reply = await call<FetchReply>(transport, 'fetch', {
      action: 'fetch',
      partitions: [{ topic: TOPIC, partition, offset, maxBytes: FETCH_MAX_BYTES }],
      maxBytes: FETCH_MAX_BYTES,
    });
    fetches++;
    const p = reply.partitions[0]!;
    if (p.error !== undefined) throw new Error(`${p.error.code}: ${p.error.message}`);
    if (offset >= p.highWatermark) return { bytes, records, fetches };
    const buf = Buffer.from(p.records, 'base64');
    const batches = await decodeRecordBatches(buf);
    bytes += buf.length;
    for (const b of batches) records += b.records.filter((r) => r.offset >= offset).length;
    const last = batches[batches.length - 1]!;
    offset = last.baseOffset + last.lastOffsetDelta + 1;
  }
}

async function readAll(transport: EmbeddedTransport, partitions: number): Promise<ReadResult> {
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: partitions }, (_, p) => readPartition(transport, p)));
  return {
    bytes: results.reduce((n, r) => n + r.bytes, 0),
    records: results.reduce((n, r) => n + r.records, 0),
    fetches: results.reduce((n, r) => n + r.fetches, 0),
    ms: performance.now() - started,
  };
}

function row(label: string, read: ReadResult, gets: number): string {
  const mb = read.bytes / MB;
  return `${label.padEnd(24)} ${(mb / (read.ms / 1000)).toFixed(1).padStart(8)} MB/s  ${(gets / mb).toFixed(1).padStart(8)} GETs/MB  ${read.fetches} fetches, ${read.records} records`;
}

export async function runMaintenanceBench(partitions = 4, batchesPerPartition = 400): Promise<void> {
  const services = await startLocalServices({ mode: 'ephemeral' });
  try {
    const clients = createAwsClients({
      region: services.region,
      endpoints: { dynamodb: services.dynamodbEndpoint, s3: services.s3Endpoint },
      credentials: { ...LOCAL_CREDENTIALS },
    });
    const counter = new RequestCounter();
    counter.watch('s3', clients.s3);
    counter.watch('dynamodb', clients.dynamodb);
    const tables = tableNamesForPrefix('bench');
    const bucket = 'kafkaless-bench';
    await provisionTables(clients.dynamodb, tables);
    await ensureBucket(clients.s3, bucket);
    let clockMs = Date.now();
    const now = (): number => clockMs;
    const transport = new EmbeddedTransport({ ...clients, tables, bucket, now });
    await new Kafkaless({ transport }).admin().createTopics({
      topics: [{ topic: TOPIC, numPartitions: partitions, configEntries: [{ name: 'segment.bytes', value: String(64 * MB) }, { name: 'segment.ms', value: '60000' }] }],
    });

    const value = Buffer.alloc(VALUE_BYTES, 'x');
    const batch = (await encodeRecordBatch(Array.from({ length: RECORDS_PER_BATCH }, (_, i) => ({ key: Buffer.from(`k${i}`), value, headers: [], timestamp: clockMs })))).toString('base64');
    const produceStarted = performance.now();
    await Promise.all(
      Array.from({ length: partitions }, async (_, partition) => {
        for (let i = 0; i < batchesPerPartition; i++) {
          await call(transport, 'produce', { action: 'produce', entries: [{ topic: TOPIC, partition, batch }] });
        }
      }),
    );
    const producedMb = (partitions * batchesPerPartition * Buffer.byteLength(batch, 'base64')) / MB;
    console.log(`produced ${producedMb.toFixed(1)} MB in ${partitions * batchesPerPartition} produce calls (${((performance.now() - produceStarted) / 1000).toFixed(1)} s)`);

    counter.reset();
    const before = await readAll(transport, partitions);
    const getsBefore = counter.get('s3:GetObject');

    clockMs += 120_000;
    counter.reset();
    const ctx = createBrokerContext({ ...clients, tables, bucket, now });
    const deps = createMaintenanceDeps(ctx, () => undefined);
    const compactStarted = performance.now();
    const report = await runMaintenance(deps, { action: 'run', steps: ['segments'] });
    const compactMs = performance.now() - compactStarted;
    const compactRequests = counter.entries();

    counter.reset();
    const after = await readAll(transport, partitions);
    const getsAfter = counter.get('s3:GetObject');

    console.log('\nfetch (embedded, 1 MiB per fetch):');
    console.log(row('before segment compaction', before, getsBefore));
    console.log(row('after segment compaction', after, getsAfter));
    console.log(`\nsegment compaction: ${report.totals.segmentsWritten} segments from ${producedMb.toFixed(1)} MB in ${(compactMs / 1000).toFixed(1)} s = ${(producedMb / (compactMs / 1000)).toFixed(1)} MB/s`);
    console.log('requests per GB rolled:');
    const perGb = GB / (producedMb * MB);
    for (const [name, count] of compactRequests) console.log(`  ${name.padEnd(34)} ${Math.round(count * perGb).toString().padStart(10)}`);
    clients.dynamodb.destroy();
    clients.s3.destroy();
  } finally {
    await services.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [partitions, batches] = process.argv.slice(2).map(Number);
  await runMaintenanceBench(partitions || undefined, batches || undefined);
}
