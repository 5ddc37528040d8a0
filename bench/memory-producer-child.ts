/**
 * Child process of the producer memory benchmark (run by memory-producer.ts
 * under `node --expose-gc --import tsx`): a producer over the embedded
 * transport pushes `totalBytes` of 1 KiB records into a topic, round-robin
 * over its partitions, never holding more than a few sends of its own, and
 * prints its baseline and peak memory as one JSON line.
 */
import { readFileSync } from 'node:fs';
import { Kafkaless } from '../lib/client/kafkaless.js';
import { EmbeddedTransport } from '../lib/client/transports/embedded.js';
import { clientsFor, type Endpoints, type Namespace } from './local-env.js';
import { messages, sampleValue, VALUE_BYTES } from './workload.js';

export interface ProducerChildConfig {
  readonly endpoints: Endpoints;
  readonly ns: Namespace;
  readonly topic: string;
  readonly partitions: number;
  readonly totalBytes: number;
  readonly batchSizeBytes: number;
}

export interface ProducerChildResult {
  readonly records: number;
  readonly seconds: number;
  readonly baselineRssBytes: number;
  readonly peakRssBytes: number;
  readonly peakHeapUsedBytes: number;
  readonly bufferMemoryBytes: number;
}

const SEND_CHUNK = 1000;
const OUTSTANDING_SENDS = 8;

/** The process's peak RSS: VmHWM (maxRSS would carry over the parent's high-water mark across fork and exec). */
function peakRssBytes(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm !== null) return Number(hwm[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_PRODUCER_CASE ?? '{}') as ProducerChildConfig;
  const clients = clientsFor(config.endpoints);
  const kafkaless = new Kafkaless({ transport: new EmbeddedTransport({ ...clients, tables: config.ns.tables, bucket: config.ns.bucket }) });
  const producer = kafkaless.producer({ 'batch.size': config.batchSizeBytes });
  const value = sampleValue();
  await producer.send({ topic: config.topic, messages: messages(1, value, 0) });
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage();
  let peakHeap = baseline.heapUsed;
  const timer = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 5);
  const records = Math.ceil(config.totalBytes / VALUE_BYTES);
  const start = process.hrtime.bigint();
  const outstanding: Promise<unknown>[] = [];
  for (let sent = 0, chunk = 0; sent < records; sent += SEND_CHUNK, chunk++) {
    outstanding.push(producer.send({ topic: config.topic, messages: messages(Math.min(SEND_CHUNK, records - sent), value, chunk % config.partitions) }));
    if (outstanding.length >= OUTSTANDING_SENDS) await outstanding.shift();
  }
  await Promise.all(outstanding);
  await producer.flush();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  clearInterval(timer);
  await producer.disconnect();
  await kafkaless.close();
  clients.dynamodb.destroy();
  clients.s3.destroy();
  const result: ProducerChildResult = {
    records,
    seconds,
    baselineRssBytes: baseline.rss,
    peakRssBytes: peakRssBytes(),
    peakHeapUsedBytes: peakHeap,
    bufferMemoryBytes: producer.config.bufferMemoryBytes,
  };
  console.log(JSON.stringify(result));
}

await main();
