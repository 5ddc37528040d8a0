/**
 * Many producers, each its own embedded broker, on one partition: every
 * commit contends for the same partition head. Reports throughput, the
 * errors the producers saw and retried, and the checker's verdict.
 */
import { Kafkaless } from '../../lib/client/kafkaless.js';
import { seededRandom } from '../../lib/faults.js';
import type { Anomaly } from '../proof/anomaly.js';
import { checkHistory } from '../proof/checker.js';
import { cleanTransport, type Deployment } from '../proof/deployment.js';
import { History } from '../proof/history.js';
import { OpBudget } from '../proof/op-budget.js';
import { runProducer } from '../proof/producer-worker.js';
import { readFinalState } from '../proof/read-final.js';
import { RecordingTransport } from './recording-transport.js';

export interface HotPartitionOptions {
  readonly deployment: Deployment;
  readonly producers: number;
  readonly sends: number;
  /** Sends in flight per producer. */
  readonly window: number;
  readonly seed: number;
}

export interface HotPartitionResult {
  readonly records: number;
  readonly acknowledgedSends: number;
  readonly failedSends: readonly string[];
  readonly seconds: number;
  /** Error codes in replies, retried by the producers. */
  readonly retriedErrors: ReadonlyMap<string, number>;
  readonly anomalies: readonly Anomaly[];
}

export const HOT_TOPIC = 'hot';
/** A send not settled after this long is a stall (longer than delivery.timeout.ms). */
const STALL_MS = 300_000;

export async function runHotPartition(o: HotPartitionOptions): Promise<HotPartitionResult> {
  const setup = cleanTransport(o.deployment);
  await new Kafkaless({ transport: setup.transport }).admin().createTopics({ topics: [{ topic: HOT_TOPIC, numPartitions: 1 }] });
  const history = new History();
  const budget = new OpBudget(o.sends);
  const errors = new Map<string, number>();
  const stalls: string[] = [];
  const cleans = Array.from({ length: o.producers }, () => cleanTransport(o.deployment));
  const started = performance.now();
  try {
    await Promise.all(
      cleans.map((c, i) =>
        runProducer({
          name: `hot${i}`,
          kafkaless: new Kafkaless({ transport: new RecordingTransport(c.transport, errors) }),
          topic: HOT_TOPIC,
          partitions: 1,
          budget,
          window: o.window,
          idempotent: true,
          random: seededRandom(o.seed + i),
          history,
          stallMs: STALL_MS,
          onStall: (description) => stalls.push(description),
        }),
      ),
    );
  } finally {
    cleans.forEach((c) => c.close());
    setup.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const final = await readFinalState(o.deployment, HOT_TOPIC);
  const produced = history.events.flatMap((e) => (e.kind === 'produce' ? [e] : []));
  return {
    records: final.partitions[0]!.highWatermark,
    acknowledgedSends: produced.filter((e) => e.outcome.status === 'ok').length,
    failedSends: produced.flatMap((e) => (e.outcome.status === 'unknown' ? [e.outcome.error] : [])),
    seconds,
    retriedErrors: errors,
    anomalies: [...checkHistory(history.events, final), ...stalls.map((message) => ({ kind: 'stalled' as const, message }))],
  };
}

export function describeHotPartition(o: HotPartitionOptions, r: HotPartitionResult): string {
  const retried = [...r.retriedErrors].map(([k, v]) => `${k} ×${v}`).join(', ') || 'none';
  return [
    `hot partition: ${o.producers} producers, ${o.sends} sends (${o.window} in flight each), ${r.records} records in ${r.seconds.toFixed(1)} s`,
    `  ${(r.acknowledgedSends / r.seconds).toFixed(1)} sends/s, ${(r.records / r.seconds).toFixed(1)} records/s`,
    `  errors the producers retried: ${retried}`,
    `  sends failed: ${r.failedSends.length}; anomalies: ${r.anomalies.length}`,
  ].join('\n');
}
