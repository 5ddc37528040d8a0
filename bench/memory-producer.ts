/**
 * Peak RSS of a producer client pushing a gigabyte through (100 MiB with
 * --quick): the embedded transport, in a child process of its own so its
 * peak is its own. buffer.memory (32 MiB by default) bounds what the
 * producer holds; the figure to watch is peak RSS less the baseline.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafkaless } from '../lib/client/kafkaless.js';
import type { BenchStack } from './local-env.js';
import type { ProducerChildConfig, ProducerChildResult } from './memory-producer-child.js';
import { GIB, MIB } from './table.js';

const run = promisify(execFile);
const PARTITIONS = 4;
/** A common tuned batch.size: a quarter MiB. */
const BATCH_SIZE_BYTES = 256 * 1024;

export interface ProducerMemory extends ProducerChildResult {
  readonly totalBytes: number;
  readonly partitions: number;
  readonly batchSizeBytes: number;
}

export async function runProducerMemory(env: BenchStack, quick: boolean): Promise<ProducerMemory> {
  const totalBytes = quick ? 100 * MIB : GIB;
  const topic = `memory-producer-${Date.now().toString(36)}`;
  const kafkaless = new Kafkaless({ transport: env.embeddedTransport() });
  await kafkaless.admin().createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] });
  await kafkaless.close();
  const config: ProducerChildConfig = { endpoints: env.endpoints, ns: env.ns, topic, partitions: PARTITIONS, totalBytes, batchSizeBytes: BATCH_SIZE_BYTES };
  const child = fileURLToPath(new URL('./memory-producer-child.ts', import.meta.url));
  const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', child], {
    env: { ...process.env, NODE_NO_WARNINGS: '1', BENCH_PRODUCER_CASE: JSON.stringify(config) },
    maxBuffer: 16 * 1024 * 1024,
  });
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as ProducerChildResult;
  return { ...result, totalBytes, partitions: PARTITIONS, batchSizeBytes: BATCH_SIZE_BYTES };
}
