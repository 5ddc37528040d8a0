/**
 * Peak memory of the produce and fetch functions at the largest request they
 * accept. Each case runs the function's real bundle (the one the local stack
 * serves and CDK deploys) in a child `node --expose-gc` process with the
 * function's environment, as Lambda's runtime would: the event arrives as
 * JSON text, is parsed, handled, and the reply serialized. The child samples
 * `process.memoryUsage()` every millisecond and reports the process's peak
 * RSS: Linux's VmHWM from /proc/self/status (`resourceUsage().maxRSS` would
 * carry over the parent's high-water mark across fork and exec).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafkaless } from '../lib/client/kafkaless.js';
import { LOCAL_CREDENTIALS } from '../lib/aws/clients.js';
import { resolveHandler } from '../lib/local/handler-path.js';
import { encodeRecordBatch } from '../lib/log/index.js';
import { MAX_PRODUCE_PARTITIONS } from '../lib/limits.js';
import type { FunctionRole } from '../lib/names.js';
import type { BenchStack } from './local-env.js';
import { sampleValue } from './workload.js';

const run = promisify(execFile);

export interface HandlerMemory {
  readonly label: string;
  readonly requestBytes: number;
  readonly replyBytes: number;
  readonly baselineRssBytes: number;
  readonly peakRssBytes: number;
  readonly peakHeapUsedBytes: number;
  readonly memorySizeMb: number;
}

/** Runs in the child: loads the bundle, warms it, then handles the big event `runs` times. */
const CHILD_SOURCE = `
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const { file, exportPath, eventFile, warmFile, runs } = JSON.parse(process.env.BENCH_HANDLER_CASE);
let handler = await import(pathToFileURL(file).href);
for (const key of exportPath) handler = handler[key];
const context = { functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, getRemainingTimeInMillis: () => 30000 };
const invoke = async (text) => {
  const reply = await handler(JSON.parse(text), context);
  if (reply === null || reply.ok !== true) throw new Error('The handler failed: ' + JSON.stringify(reply).slice(0, 500));
  return JSON.stringify(reply).length;
};
await invoke(readFileSync(warmFile, 'utf8'));
globalThis.gc();
const baseline = process.memoryUsage();
let peakHeap = baseline.heapUsed;
const sample = () => { peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed); };
const timer = setInterval(sample, 1);
let replyBytes = 0;
for (let i = 0; i < runs; i++) {
  const text = readFileSync(eventFile, 'utf8');
  sample();
  replyBytes = await invoke(text);
  sample();
}
clearInterval(timer);
const hwm = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
console.log(JSON.stringify({ baselineRss: baseline.rss, peakRss: hwm ? Number(hwm[1]) * 1024 : process.resourceUsage().maxRSS * 1024, peakHeap, replyBytes }));
`;

interface Case {
  readonly label: string;
  readonly role: FunctionRole;
  readonly event: object;
  readonly warm: object;
}

const RUNS = 3;

export async function runHandlerMemory(env: BenchStack, log: (line: string) => void): Promise<HandlerMemory[]> {
  const dir = await mkdtemp(join(tmpdir(), 'kafkaless-bench-memory-'));
  try {
    const cases = await buildCases(env);
    const results: HandlerMemory[] = [];
    for (const c of cases) {
      log(`  ${c.label} ...`);
      results.push(await runCase(env, dir, c));
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function batchOf(records: number, value: Buffer): Promise<string> {
  const now = Date.now();
  const batch = await encodeRecordBatch(Array.from({ length: records }, (_, i) => ({ key: null, value, headers: [], timestamp: now + i })));
  return batch.toString('base64');
}

/** Largest requests: ~4 MiB as four 1,000-record batches; 1,000 entries of ~4 KiB; a 4 MiB fetch of the first. */
async function buildCases(env: BenchStack): Promise<Case[]> {
  const value = sampleValue();
  const suffix = Date.now().toString(36);
  const wide = `memory-bytes-${suffix}`;
  const many = `memory-entries-${suffix}`;
  const kafkaless = new Kafkaless({ transport: env.embeddedTransport() });
  await kafkaless.admin().createTopics({ topics: [{ topic: wide, numPartitions: 4 }, { topic: many, numPartitions: MAX_PRODUCE_PARTITIONS }] });
  await kafkaless.close();
  const big = await batchOf(1000, value);
  const small = await batchOf(4, value);
  const warm = (topic: string) => ({ action: 'produce', acks: -1, entries: [{ topic, partition: 0, batch: small }] });
  const fetchAll = { action: 'fetch', partitions: [0, 1, 2, 3].map((partition) => ({ topic: wide, partition, offset: 1, maxBytes: 1024 * 1024 })), maxBytes: 4 * 1024 * 1024 };
  return [
    {
      label: 'produce, 4 entries x 1,000 records (~4 MiB of batches)',
      role: 'produce',
      warm: warm(wide),
      event: { action: 'produce', acks: -1, entries: [0, 1, 2, 3].map((partition) => ({ topic: wide, partition, batch: big })) },
    },
    {
      label: `produce, ${MAX_PRODUCE_PARTITIONS.toLocaleString('en-US')} entries x 4 records (~4 MiB of batches)`,
      role: 'produce',
      warm: warm(many),
      event: { action: 'produce', acks: -1, entries: Array.from({ length: MAX_PRODUCE_PARTITIONS }, (_, partition) => ({ topic: many, partition, batch: small })) },
    },
    { label: 'fetch, 4 partitions x 1 MiB (a 4 MiB reply)', role: 'fetch', warm: { ...fetchAll, maxBytes: 1024 }, event: fetchAll },
  ];
}

async function runCase(env: BenchStack, dir: string, c: Case): Promise<HandlerMemory> {
  const fn = env.stack.template.functions.find((f) => f.role === c.role);
  if (fn === undefined) throw new Error(`The stack has no ${c.role} function`);
  const { file, exportPath } = resolveHandler(fn.codeDir, fn.handler);
  const eventText = JSON.stringify(c.event);
  const eventFile = join(dir, `${c.role}-event.json`);
  const warmFile = join(dir, `${c.role}-warm.json`);
  await writeFile(eventFile, eventText);
  await writeFile(warmFile, JSON.stringify(c.warm));
  const childEnv = {
    PATH: process.env.PATH ?? '',
    ...fn.environment,
    AWS_ENDPOINT_URL_DYNAMODB: env.endpoints.dynamodbEndpoint,
    AWS_ENDPOINT_URL_S3: env.endpoints.s3Endpoint,
    AWS_REGION: env.endpoints.region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySizeMb),
    NODE_NO_WARNINGS: '1',
    BENCH_HANDLER_CASE: JSON.stringify({ file, exportPath, eventFile, warmFile, runs: RUNS }),
  };
  const { stdout } = await run(process.execPath, ['--expose-gc', '--input-type=module', '-e', CHILD_SOURCE], { env: childEnv, maxBuffer: 16 * 1024 * 1024 });
  const out = JSON.parse(stdout.trim().split('\n').pop()!) as { baselineRss: number; peakRss: number; peakHeap: number; replyBytes: number };
  return {
    label: c.label,
    requestBytes: eventText.length,
    replyBytes: out.replyBytes,
    baselineRssBytes: out.baselineRss,
    peakRssBytes: out.peakRss,
    peakHeapUsedBytes: out.peakHeap,
    memorySizeMb: fn.memorySizeMb,
  };
}
