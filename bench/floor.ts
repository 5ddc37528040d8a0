/**
 * The floor: the AWS calls one produce request cannot do without, in a bare
 * loop against the same local services — one S3 PUT of the same batch bytes,
 * then one TransactWriteItems of the same items (topic check, head update,
 * index put, producer-state update, object registry put), made with the same
 * storage classes the produce path uses and nothing around them. Beside it,
 * the produce path doing the same work one request at a time: a producer
 * sending one batch and waiting for its acknowledgement, through the
 * embedded transport and through the Lambda transport.
 */
import { randomUUID } from 'node:crypto';
import { Kafkaless } from '../lib/client/kafkaless.js';
import { encodeRecordBatch } from '../lib/log/index.js';
import { AppendCommitter } from '../lib/storage/append-commit.js';
import { ObjectStore } from '../lib/storage/object-store.js';
import type { ProducerPartitionState } from '../lib/storage/producer-states.js';
import { TopicStore } from '../lib/storage/topic-store.js';
import type { Transport } from '../lib/client/transport.js';
import { BATCH_SIZES } from './e2e.js';
import type { BenchStack } from './local-env.js';
import { fixed, MIB, printTable } from './table.js';
import { batchSizeFor, messages, sampleValue } from './workload.js';

export interface FloorRow {
  readonly batchRecords: number;
  readonly batchBytes: number;
  readonly floorMs: number;
  readonly embeddedMs: number;
  readonly lambdaMs: number;
}

function iterationsFor(batchRecords: number, quick: boolean): number {
  const n = batchRecords === 1 ? 150 : batchRecords === 100 ? 80 : 40;
  return quick ? Math.ceil(n / 5) : n;
}

const WARMUP_ITERATIONS = 3;

async function mean(iterations: number, run: (i: number) => Promise<void>): Promise<number> {
  for (let i = 0; i < WARMUP_ITERATIONS; i++) await run(-1 - i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await run(i);
  return Number(process.hrtime.bigint() - start) / 1e6 / iterations;
}

/** Milliseconds per PUT + TransactWriteItems, sequentially. */
async function floorMs(env: BenchStack, topic: string, batchRecords: number, bytes: Buffer, iterations: number): Promise<number> {
  const record = await new TopicStore(env.clients.dynamodb, env.ns.tables.topics).get(topic);
  if (record === undefined) throw new Error(`Topic ${topic} was not created`);
  const objects = new ObjectStore(env.clients.s3, env.ns.bucket);
  const committer = new AppendCommitter(env.clients.dynamodb, env.ns.tables);
  const producerId = 1_000_000 + batchRecords;
  let highWatermark = 0;
  let expected: ProducerPartitionState | undefined;
  return mean(iterations, async () => {
    const objectKey = `floor/${randomUUID()}`;
    const appendTime = Date.now();
    const baseSequence = highWatermark;
    const lastSequence = baseSequence + batchRecords - 1;
    await objects.put(objectKey, bytes);
    const outcome = await committer.commit({
      objectKey,
      appendTime,
      token: randomUUID(),
      topics: [{ name: topic, topicId: record.topicId }],
      entries: [
        {
          topicId: record.topicId,
          partition: 0,
          expectedHighWatermark: highWatermark,
          runs: [
            {
              baseOffset: highWatermark,
              offsetCount: batchRecords,
              batch: { objectKey, position: 0, sizeBytes: bytes.length, recordCount: batchRecords, firstTimestamp: appendTime, maxTimestamp: appendTime, producerId, producerEpoch: 0, baseSequence, isTransactional: false },
            },
          ],
          producers: [{ producerId, producerEpoch: 0, batches: [{ baseSequence, lastSequence, baseOffset: highWatermark }], expected }],
        },
      ],
    });
    if (!outcome.committed) throw new Error('The floor loop\'s commit failed its condition');
    highWatermark += batchRecords;
    expected = { producerId, producerEpoch: 0, lastSequence, batches: [...(expected?.batches ?? []), { baseSequence, lastSequence, baseOffset: highWatermark - batchRecords, appendTime }].slice(-5) };
  });
}

/** Milliseconds per acknowledged one-batch send, one at a time. */
async function produceMs(transport: Transport, topic: string, batchRecords: number, iterations: number): Promise<number> {
  const kafkaless = new Kafkaless({ transport });
  try {
    const value = sampleValue();
    const producer = kafkaless.producer({ 'batch.size': batchSizeFor(batchRecords, value), 'linger.ms': 1000 });
    await producer.connect();
    const batch = messages(batchRecords, value, 0);
    const ms = await mean(iterations, async () => {
      await producer.send({ topic, messages: batch });
    });
    await producer.disconnect();
    return ms;
  } finally {
    await kafkaless.close();
  }
}

/** Rounds per batch size: each round measures the three in turn; the best round's mean counts, so a passing hiccup hits none. */
const ROUNDS = 3;

type Kind = 'floor' | 'embedded' | 'lambda';

export async function runFloor(env: BenchStack, quick: boolean, log: (line: string) => void): Promise<FloorRow[]> {
  const rows: FloorRow[] = [];
  const admin = new Kafkaless({ transport: env.embeddedTransport() }).admin();
  const value = sampleValue();
  for (const batchRecords of BATCH_SIZES) {
    const iterations = Math.ceil(iterationsFor(batchRecords, quick) / ROUNDS);
    log(`  ${batchRecords} record(s) per batch, ${ROUNDS} rounds of ${iterations} requests each ...`);
    const records = Array.from({ length: batchRecords }, (_, i) => ({ key: null, value, headers: [], timestamp: Date.now() + i }));
    const bytes = await encodeRecordBatch(records, { producerId: 1, producerEpoch: 0, baseSequence: 0 });
    const best: Record<Kind, number> = { floor: Number.POSITIVE_INFINITY, embedded: Number.POSITIVE_INFINITY, lambda: Number.POSITIVE_INFINITY };
    for (let round = 0; round < ROUNDS; round++) {
      const suffix = `${Date.now().toString(36)}-${round}`;
      const topic = (kind: Kind): string => `floor-${kind}-${batchRecords}-${suffix}`;
      await admin.createTopics({ topics: (['floor', 'embedded', 'lambda'] as const).map((kind) => ({ topic: topic(kind), numPartitions: 1 })) });
      best.floor = Math.min(best.floor, await floorMs(env, topic('floor'), batchRecords, bytes, iterations));
      best.embedded = Math.min(best.embedded, await produceMs(env.embeddedTransport(), topic('embedded'), batchRecords, iterations));
      if (Number.isNaN(best.lambda)) continue;
      const lambda = await produceMs(env.lambdaTransport(), topic('lambda'), batchRecords, iterations).catch((err: unknown) => {
        const error = err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
        log(`    the Lambda producer failed (${error}); no Lambda figure for this row`);
        return Number.NaN;
      });
      best.lambda = Number.isNaN(lambda) ? lambda : Math.min(best.lambda, lambda);
    }
    rows.push({ batchRecords, batchBytes: bytes.length, floorMs: best.floor, embeddedMs: best.embedded, lambdaMs: best.lambda });
  }
  return rows;
}

export function printFloor(rows: readonly FloorRow[]): void {
  const mibPerSecond = (bytes: number, ms: number): number => bytes / MIB / (ms / 1000);
  printTable(
    'The floor: one S3 PUT + one TransactWriteItems, against the produce path (one request at a time)',
    ['records/batch', 'batch KiB', 'floor ms', 'floor MiB/s', 'embedded ms', 'x floor', 'embedded MiB/s', 'x floor', 'Lambda ms', 'x floor', 'Lambda MiB/s', 'x floor'],
    rows.map((r) => [
      String(r.batchRecords),
      fixed(r.batchBytes / 1024, 1),
      fixed(r.floorMs, 2),
      fixed(mibPerSecond(r.batchBytes, r.floorMs), 2),
      fixed(r.embeddedMs, 2),
      `${fixed(r.embeddedMs / r.floorMs, 2)}x`,
      fixed(mibPerSecond(r.batchBytes, r.embeddedMs), 2),
      `${fixed(r.floorMs / r.embeddedMs, 2)}x`,
      fixed(r.lambdaMs, 2),
      `${fixed(r.lambdaMs / r.floorMs, 2)}x`,
      fixed(mibPerSecond(r.batchBytes, r.lambdaMs), 2),
      `${fixed(r.floorMs / r.lambdaMs, 2)}x`,
    ]),
    [
      `Mean milliseconds per request, sequential, after a warm-up; the best of ${ROUNDS} rounds that take turns. Latency "x floor" is produce ms / floor ms;`,
      'throughput "x floor" is produce MiB/s / floor MiB/s (1 is the floor). The floor uses the same storage calls the produce handler',
      'makes (lib/storage ObjectStore.put, AppendCommitter.commit) with nothing around them: no validation, JSON, base64 or client.',
      'The Lambda path adds the local Invoke API hop and a worker thread; all run on the same 2 cores as the services.',
      'A "-" is a run that failed (its error is printed above the table).',
    ],
  );
}
