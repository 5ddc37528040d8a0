/**
 * The proof through the Kafka gateway: two gateway processes over one
 * stack, each with the run's seeded AWS faults and broker fault points
 * injected under it, driven by real Kafka clients — kafkajs producers
 * (idempotent and not), @platformatic/kafka producers and raw fetches,
 * kafkajs consumer group members (the classic protocol) and kafkajs
 * transactional producers — while a native maintenance worker rolls and
 * collects the log. An error storm starts at 40 % of the operations; at 60 %
 * one gateway is killed (SIGKILL) and started again on its port, and the
 * clients carry on. The history is judged by the same checker against the
 * final state read natively with clean clients.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsFaultSwitch } from '../../lib/aws/fault-middleware.js';
import { FaultCounts, seededRandom } from '../../lib/faults.js';
import { checkHistory } from './checker.js';
import { faultyTransport, type Deployment, type FaultyTransport } from './deployment.js';
import { kafkajsClient, platformaticOptions } from './gateway-clients.js';
import { GatewayFleet } from './gateway-fleet.js';
import { runGatewayMember } from './gateway-group-worker.js';
import { kafkajsSender, platformaticSender, runGatewayProducer, type RecordSender } from './gateway-producer-worker.js';
import { RawFetcher, runGatewayReader, runKcatReader } from './gateway-reader-worker.js';
import { runGatewayTransactions } from './gateway-txn-worker.js';
import { History } from './history.js';
import { runMaintenance } from './maintenance-worker.js';
import { OpBudget } from './op-budget.js';
import { readFinalState } from './read-final.js';
import { deriveSeed } from './seeds.js';
import type { WorkerBase } from './worker.js';
import {
  DEFAULT_STALL_MS,
  GROUP,
  MAINTENANCE,
  MAINTENANCE_PAUSE_MS,
  ratesFor,
  scaleRates,
  setUp,
  STORM_AT,
  TOPIC,
  TXN_TOPIC,
  txnGroup,
  type WorkloadResult,
} from './workload.js';

export interface GatewayWorkloadOptions {
  readonly deployment: Deployment;
  readonly ops: number;
  readonly seed: number;
  /** Default 3 s. */
  readonly stormMs?: number;
  readonly faultScale?: number;
  readonly stallMs?: number;
  /** Kill one gateway (SIGKILL) at 60 % of the operations and start it again. Default true. */
  readonly kill?: boolean;
  readonly maintenance?: boolean;
  readonly readShare?: number;
  readonly groupShare?: number;
  readonly txnShare?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface GatewayWorkloadResult extends WorkloadResult {
  readonly gatewayKills: number;
  /** Where each gateway logged (the connections it closed on failures). */
  readonly gatewayLogs: readonly string[];
  /** Produce sends by client library. */
  readonly sendsBy: Readonly<Record<string, number>>;
}

const PARTITIONS = 4;
const KILL_AT = 0.6;
const DOWN_MS = 1_000;
/** kafkajs's classic-protocol members: long enough to heartbeat through a storm, short enough that a killed member's partitions move. */
const SESSION_TIMEOUT_MS = 10_000;
/** Gateway 0 lets the SDK retry AWS faults first (as in production); gateway 1 hands every one to the broker's code. */
const GATEWAY_SDK_ATTEMPTS = [3, 1];
/** [client label, library, idempotent] of each producer. */
const PRODUCERS: readonly (readonly [string, 'kafkajs' | 'platformatic', boolean])[] = [
  ['kj0', 'kafkajs', true],
  ['kj1', 'kafkajs', true],
  ['kj2', 'kafkajs', true],
  ['kj3', 'kafkajs', false],
  ['kj4', 'kafkajs', true],
  ['pk0', 'platformatic', true],
  ['pk1', 'platformatic', true],
  ['pk2', 'platformatic', false],
];
const READERS = 2;
/** kcat starts a process per read: a small share, beside the raw fetches and the members' batches. */
const KCAT_SHARE = 0.01;
const GROUP_MEMBERS = 3;
const TRANSACTIONAL = 2;

export async function runGatewayWorkload(o: GatewayWorkloadOptions): Promise<GatewayWorkloadResult> {
  const started = performance.now();
  const rates = scaleRates(ratesFor(seededRandom(o.seed)), o.faultScale ?? 1);
  const counts = new FaultCounts();
  const awsFaults = { rate: rates.awsCall, afterShare: 0.5 };
  const aws = new AwsFaultSwitch(awsFaults, counts);
  await setUp(o.deployment, PARTITIONS, TRANSACTIONAL);
  const fleet = await GatewayFleet.start({ deployment: o.deployment, seed: o.seed, awsFaults, pointRates: rates.points, counts, sdkMaxAttempts: GATEWAY_SDK_ATTEMPTS, logPrefix: join(tmpdir(), `kafkaless-proof-${o.seed}-gateway`) });
  const history = new History();
  const knownEnd = new Array<number>(PARTITIONS).fill(0);
  history.onEvent((e) => {
    if (e.kind === 'produce' && e.outcome.status === 'ok') knownEnd[e.partition] = Math.max(knownEnd[e.partition]!, ...e.outcome.offsets.map((x) => x + 1));
  });
  const stalls: string[] = [];
  const stallMs = o.stallMs ?? DEFAULT_STALL_MS;
  const onStall = (description: string) => {
    stalls.push(description);
    console.error(`stalled: ${description}`);
  };
  let stormed = false;
  let killing: Promise<void> | undefined;
  const budget = new OpBudget(o.ops, (done, total) => {
    if (!stormed && done >= total * STORM_AT) {
      stormed = true;
      aws.storm(o.stormMs ?? 3_000);
      fleet.storm(o.stormMs ?? 3_000);
    }
    if (killing === undefined && o.kill !== false && done >= total * KILL_AT) {
      console.error(`  killing gateway 0 (SIGKILL) at ${done} operations; it starts again in ${DOWN_MS} ms`);
      killing = fleet.killAndRestart(0, DOWN_MS);
    }
    o.onProgress?.(done, total);
  });
  const base = (label: string): WorkerBase => ({ budget, random: seededRandom(deriveSeed(o.seed, `${label} plan`)), history, stallMs, onStall });
  const brokers = fleet.brokers;
  // Reads are shared half and half between the raw fetches and the group members' batches, each half counted apart.
  const reads = { count: 0 };
  const memberReads = { count: 0 };
  const kcatReads = { count: 0 };
  const readShare = (o.readShare ?? 0.2) / 2;
  const groupOps = { count: 0 };
  const txnOps = { count: 0 };
  const transports: FaultyTransport[] = [];
  const fetchers: RawFetcher[] = [];
  const fetcher = (label: string, k: number) => {
    const f = new RawFetcher(platformaticOptions(label, brokers, k));
    fetchers.push(f);
    return f;
  };
  try {
    const workers: Promise<void>[] = [];
    PRODUCERS.forEach(([label, library, idempotent], k) => {
      const connect: () => Promise<RecordSender> =
        library === 'kafkajs' ? kafkajsSender(kafkajsClient(label, brokers, k), idempotent) : platformaticSender(platformaticOptions(label, brokers, k), idempotent);
      workers.push(runGatewayProducer({ ...base(label), name: label, idempotent, topic: TOPIC, partitions: PARTITIONS, connect }));
    });
    for (let i = 0; i < READERS; i++) {
      const label = `pr${i}`;
      workers.push(runGatewayReader({ ...base(label), name: label, fetcher: fetcher(label, i), topic: TOPIC, partitions: PARTITIONS, readShare, reads, knownEnd: (p) => knownEnd[p]! }));
    }
    workers.push(runKcatReader({ ...base('kcat'), name: 'kc0', brokers, topic: TOPIC, partitions: PARTITIONS, readShare: KCAT_SHARE, reads: kcatReads, knownEnd: (p) => knownEnd[p]! }));
    for (let i = 0; i < GROUP_MEMBERS; i++) {
      const label = `kg${i}`;
      workers.push(
        runGatewayMember({ ...base(label), name: label, k: i, brokers, group: GROUP, topic: TOPIC, readShare, reads: memberReads, groupShare: o.groupShare ?? 0.1, groupOps, sessionTimeoutMs: SESSION_TIMEOUT_MS }),
      );
    }
    for (let i = 0; i < TRANSACTIONAL; i++) {
      const label = `ktx${i}`;
      workers.push(
        runGatewayTransactions({
          ...base(label),
          name: label,
          kafka: kafkajsClient(label, brokers, i + 1),
          fetcher: fetcher(`${label}-reads`, i),
          topic: TXN_TOPIC,
          partitions: PARTITIONS,
          group: txnGroup(i),
          offsetsTopic: TOPIC,
          share: o.txnShare ?? 0.1,
          ops: txnOps,
          readShare: 0.2,
        }),
      );
    }
    if (o.maintenance !== false) {
      const t = faultyTransport(o.deployment, { seed: deriveSeed(o.seed, 'maintenance'), awsFaults: aws, pointRates: rates.points, counts, sdkMaxAttempts: 3, maintenance: MAINTENANCE });
      transports.push(t);
      workers.push(runMaintenance({ ...base('maintenance'), transport: t.transport, minPauseMs: MAINTENANCE_PAUSE_MS }));
    }
    await Promise.all(workers);
    await killing;
  } finally {
    aws.enabled = false;
    fleet.setFaults(false);
    await Promise.all(fetchers.map((f) => f.close().catch(() => undefined)));
    await fleet.close();
    transports.forEach((t) => t.close());
  }
  const groups = Array.from({ length: TRANSACTIONAL }, (_, i) => txnGroup(i));
  const final = await readFinalState(o.deployment, TOPIC, { topic: TXN_TOPIC, groups, offsetsTopic: TOPIC });
  const produced = history.events.flatMap((e) => (e.kind === 'produce' ? [e] : []));
  const sendsBy: Record<string, number> = {};
  const libraryOf = new Map(PRODUCERS.map(([label, library]) => [label, library === 'kafkajs' ? 'kafkajs' : '@platformatic/kafka']));
  for (const e of produced) {
    // An instance is named after its producer: `kj0.3`.
    const library = libraryOf.get(e.producer.split('.')[0]!)!;
    sendsBy[library] = (sendsBy[library] ?? 0) + 1;
  }
  return {
    seed: o.seed,
    ops: budget.completedCount,
    durationMs: performance.now() - started,
    rates,
    faults: counts,
    anomalies: [...checkHistory(history.events, final), ...stalls.map((message) => ({ kind: 'stalled' as const, message }))],
    history,
    acknowledged: produced.filter((e) => e.outcome.status === 'ok').length,
    unknownOutcome: produced.filter((e) => e.outcome.status === 'unknown').length,
    readOps: reads.count + memberReads.count + kcatReads.count,
    readObservations: history.count('read'),
    groupOps: groupOps.count,
    txnOps: txnOps.count,
    gatewayKills: fleet.kills,
    gatewayLogs: [0, 1].map((i) => fleet.logFile(i)),
    sendsBy,
  };
}
