/**
 * A seeded workload under faults: producers (each its own embedded broker,
 * so its own warm caches), readers and consumer group members on several
 * partitions, a bounded number of operations, faults at the broker's fault
 * points and on AWS calls, and an error storm part-way through; then the
 * final state is read with clean clients and the history checked against it.
 *
 * The seed fixes the plan (rates, partitions, values, every fault decision
 * stream); the interleaving of real I/O still varies between runs.
 */
import { AwsFaultSwitch, type AwsFaultSettings } from '../../lib/aws/fault-middleware.js';
import { Kafkaless } from '../../lib/client/kafkaless.js';
import type { Transport } from '../../lib/client/transport.js';
import { FaultCounts, seededRandom, type FaultPoint } from '../../lib/faults.js';
import type { Anomaly } from './anomaly.js';
import { checkHistory } from './checker.js';
import { cleanTransport, faultyTransport, type Deployment, type FaultyTransport } from './deployment.js';
import { runGroupMember } from './group-worker.js';
import { runMaintenance } from './maintenance-worker.js';
import { History } from './history.js';
import { OpBudget } from './op-budget.js';
import { runProducer } from './producer-worker.js';
import { readFinalState } from './read-final.js';
import { runReader } from './reader-worker.js';
import { deriveSeed } from './seeds.js';
import { runTransactions } from './txn-worker.js';
import { call } from '../../lib/client/transport.js';

export interface WorkloadOptions {
  readonly deployment: Deployment;
  /** Operations in all: produce sends, reads and consumer group calls. */
  readonly ops: number;
  readonly seed: number;
  /** Default 4; with 3 or more, the last one is not idempotent (at least once). */
  readonly producers?: number;
  /** Default 2. */
  readonly readers?: number;
  /** Consumer group members (0: no group traffic). Default 3. */
  readonly groupMembers?: number;
  /** Default 4. */
  readonly partitions?: number;
  /** How long the error storm lasts; it starts when 40 % of the operations are done. Default 3 s. */
  readonly stormMs?: number;
  /** Share of operations that are reads. Default 0.2. */
  readonly readShare?: number;
  /** Share of operations that are consumer group calls. Default 0.1. */
  readonly groupShare?: number;
  /** Transactional producers (0: no transactions). Default 2. */
  readonly transactionalProducers?: number;
  /** Share of operations that are transactions (or reads of their topic). Default 0.1. */
  readonly txnShare?: number;
  /** Run maintenance during the workload. Default true. */
  readonly maintenance?: boolean;
  /** Multiplies every fault rate (0: no faults, for a baseline). Default 1. */
  readonly faultScale?: number;
  /** Wraps each producer's transport (the proof's own tests use it to plant a broken broker). */
  readonly wrapProducerTransport?: (transport: Transport) => Transport;
  /** Overrides of the AWS fault settings drawn from the seed (e.g. only lost replies). */
  readonly awsFaults?: Partial<AwsFaultSettings>;
  readonly onProgress?: (done: number, total: number) => void;
  /** An operation not settled after this long is reported as stalled and abandoned. Default 5 minutes. */
  readonly stallMs?: number;
}

export interface WorkloadRates {
  readonly points: Readonly<Partial<Record<FaultPoint, number>>>;
  readonly awsCall: number;
}

export interface WorkloadResult {
  readonly seed: number;
  readonly ops: number;
  readonly durationMs: number;
  readonly rates: WorkloadRates;
  readonly faults: FaultCounts;
  readonly anomalies: readonly Anomaly[];
  readonly history: History;
  readonly acknowledged: number;
  readonly unknownOutcome: number;
  /** Read operations (a consumer poll or a raw fetch). */
  readonly readOps: number;
  /** Partition reads recorded (a poll yields one per partition it returned records for). */
  readonly readObservations: number;
  /** Consumer group calls (heartbeats, commits, offset fetches). */
  readonly groupOps: number;
  /** Transactions and reads of their topic. */
  readonly txnOps: number;
}

export const TOPIC = 'proof';
export const GROUP = 'proof-group';
/** Where the transactional producers write. */
export const TXN_TOPIC = 'proof-txn';
/** Each transactional producer commits offsets (of TOPIC, partition 0) for its own group. */
export const txnGroup = (i: number): string => `proof-txn-${i}`;
/**
 * Small, young segments, so maintenance rolls the log while it is written
 * and read, and a short collector grace period, so objects a swap released
 * are deleted during the run too.
 */
const TOPIC_CONFIGS = [
  { name: 'segment.bytes', value: '65536' },
  { name: 'segment.ms', value: '3000' },
];
export const MAINTENANCE = { gracePeriodMs: 5_000, leaseMs: 60_000 };
export const MAINTENANCE_PAUSE_MS = 1_000;
/** Share of operations that are consumer group calls. */
const GROUP_SHARE = 0.1;
/** Short, so storms expire members and partitions move. */
const SESSION_TIMEOUT_MS = 4_000;
const SEND_WINDOW = 6;
export const STORM_AT = 0.4;
/**
 * Readers see a fifth of the producers' AWS fault rate: a fetch of n small
 * batches makes n ranged GETs (one per ingest object until segments are
 * compacted) and one failed GET fails the whole fetch, so at the full rate
 * almost no read would succeed.
 */
export const READER_RATE_DIVISOR = 5;
/** Longer than the producers' delivery.timeout.ms (2 minutes) with room to spare. */
export const DEFAULT_STALL_MS = 300_000;

/** Fault rates drawn from the seed: 10–30 % at each fault point, 5–15 % of AWS calls. */
export function ratesFor(random: () => number): WorkloadRates {
  const point = () => 0.1 + 0.2 * random();
  const produce = { 'produce.afterUpload': point(), 'produce.afterCommit': point(), 'group.beforeWrite': point() };
  const awsCall = 0.05 + 0.1 * random();
  return {
    points: {
      ...produce,
      'txn.afterStage': point(),
      'txn.afterPrepare': point(),
      'txn.midCommit': point(),
      'txn.afterCommit': point(),
      'txn.midAbort': point(),
      'maintenance.midStep': point(),
    },
    awsCall,
  };
}

export function scaleRates(r: WorkloadRates, scale: number): WorkloadRates {
  const points = Object.fromEntries(Object.entries(r.points).map(([k, v]) => [k, v * scale]));
  return { points, awsCall: r.awsCall * scale };
}

/** What every worker of a run shares. */
interface Run {
  readonly o: WorkloadOptions;
  readonly rates: WorkloadRates;
  readonly counts: FaultCounts;
  readonly aws: AwsFaultSwitch;
  readonly readerAws: AwsFaultSwitch;
  readonly history: History;
  readonly budget: OpBudget;
  readonly partitions: number;
  readonly knownEnd: number[];
  readonly reads: { count: number };
  readonly groupOps: { count: number };
  readonly txnOps: { count: number };
  readonly transports: FaultyTransport[];
  readonly stallMs: number;
  readonly stalls: string[];
  readonly onStall: (description: string) => void;
}

function kafkalessFor(run: Run, label: string, sw: AwsFaultSwitch, sdkMaxAttempts: number, wrap: (t: Transport) => Transport = (t) => t): Kafkaless {
  const t = faultyTransport(run.o.deployment, { seed: deriveSeed(run.o.seed, label), awsFaults: sw, pointRates: run.rates.points, counts: run.counts, sdkMaxAttempts, maintenance: MAINTENANCE });
  run.transports.push(t);
  return new Kafkaless({ transport: wrap(t.transport) });
}

function producers(run: Run): Promise<void>[] {
  const count = run.o.producers ?? 4;
  return Array.from({ length: count }, (_, i) =>
    runProducer({
      name: `p${i}`,
      // Even producers hand every AWS fault to our code (SDK maxAttempts 1); odd ones let the SDK retry first.
      kafkaless: kafkalessFor(run, `producer ${i}`, run.aws, i % 2 === 0 ? 1 : 3, run.o.wrapProducerTransport),
      topic: TOPIC,
      partitions: run.partitions,
      budget: run.budget,
      window: SEND_WINDOW,
      idempotent: !(count >= 3 && i === count - 1),
      random: seededRandom(deriveSeed(run.o.seed, `producer ${i} plan`)),
      history: run.history,
      stallMs: run.stallMs,
      onStall: run.onStall,
    }),
  );
}

function readers(run: Run): Promise<void>[] {
  return Array.from({ length: run.o.readers ?? 2 }, (_, i) =>
    runReader({
      name: `r${i}`,
      kafkaless: kafkalessFor(run, `reader ${i}`, run.readerAws, 3),
      topic: TOPIC,
      partitions: run.partitions,
      budget: run.budget,
      readShare: run.o.readShare ?? 0.2,
      reads: run.reads,
      random: seededRandom(deriveSeed(run.o.seed, `reader ${i} plan`)),
      history: run.history,
      knownEnd: (p) => run.knownEnd[p]!,
      stallMs: run.stallMs,
      onStall: run.onStall,
    }),
  );
}

function groupMembers(run: Run): Promise<void>[] {
  return Array.from({ length: run.o.groupMembers ?? 3 }, (_, i) =>
    runGroupMember({
      name: `g${i}`,
      transport: kafkalessFor(run, `member ${i}`, run.aws, 1 + (i % 3)).transport,
      group: GROUP,
      topic: TOPIC,
      budget: run.budget,
      share: run.o.groupShare ?? GROUP_SHARE,
      ops: run.groupOps,
      random: seededRandom(deriveSeed(run.o.seed, `member ${i} plan`)),
      history: run.history,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      stallMs: run.stallMs,
      onStall: run.onStall,
    }),
  );
}

function transactional(run: Run): Promise<void>[] {
  return Array.from({ length: run.o.transactionalProducers ?? 2 }, (_, i) =>
    runTransactions({
      name: `tx${i}`,
      kafkaless: kafkalessFor(run, `transactional ${i}`, run.aws, 1 + (i % 2) * 2),
      topic: TXN_TOPIC,
      partitions: run.partitions,
      group: txnGroup(i),
      offsetsTopic: TOPIC,
      budget: run.budget,
      share: run.o.txnShare ?? 0.1,
      ops: run.txnOps,
      readShare: 0.2,
      random: seededRandom(deriveSeed(run.o.seed, `transactional ${i} plan`)),
      history: run.history,
      stallMs: run.stallMs,
      onStall: run.onStall,
    }),
  );
}

function maintenance(run: Run): Promise<void>[] {
  if (run.o.maintenance === false) return [];
  return [
    runMaintenance({
      transport: kafkalessFor(run, 'maintenance', run.aws, 3).transport,
      budget: run.budget,
      random: seededRandom(deriveSeed(run.o.seed, 'maintenance plan')),
      history: run.history,
      minPauseMs: MAINTENANCE_PAUSE_MS,
      stallMs: run.stallMs,
      onStall: run.onStall,
    }),
  ];
}

/** Topics and the transactional groups (made to exist by a commit of offset 0 no member makes). */
export async function setUp(deployment: Deployment, partitions: number, txnProducers: number): Promise<void> {
  const setup = cleanTransport(deployment);
  try {
    const topics = [TOPIC, ...(txnProducers > 0 ? [TXN_TOPIC] : [])].map((topic) => ({ topic, numPartitions: partitions, configEntries: TOPIC_CONFIGS }));
    await new Kafkaless({ transport: setup.transport }).admin().createTopics({ topics });
    for (let i = 0; i < txnProducers; i++) {
      await call(setup.transport, 'group', { action: 'commitOffsets', groupId: txnGroup(i), offsets: [{ topic: TOPIC, partition: 0, offset: 0 }] });
    }
  } finally {
    setup.close();
  }
}

function startRun(o: WorkloadOptions): Run {
  const rates = scaleRates(ratesFor(seededRandom(o.seed)), o.faultScale ?? 1);
  const counts = new FaultCounts();
  const aws = new AwsFaultSwitch({ rate: rates.awsCall, afterShare: 0.5, ...o.awsFaults }, counts);
  const readerAws = new AwsFaultSwitch({ ...aws.settings, rate: aws.settings.rate / READER_RATE_DIVISOR }, counts);
  let stormed = false;
  const budget = new OpBudget(o.ops, (done, total) => {
    if (!stormed && done >= total * STORM_AT) {
      stormed = true;
      aws.storm(o.stormMs ?? 3_000);
      readerAws.storm(o.stormMs ?? 3_000);
    }
    o.onProgress?.(done, total);
  });
  const partitions = o.partitions ?? 4;
  const history = new History();
  const knownEnd = new Array<number>(partitions).fill(0);
  history.onEvent((e) => {
    if (e.kind === 'produce' && e.outcome.status === 'ok') knownEnd[e.partition] = Math.max(knownEnd[e.partition]!, ...e.outcome.offsets.map((x) => x + 1));
  });
  const stalls: string[] = [];
  const onStall = (description: string) => {
    stalls.push(description);
    console.error(`stalled: ${description}`);
  };
  return {
    o,
    rates,
    counts,
    aws,
    readerAws,
    history,
    budget,
    partitions,
    knownEnd,
    reads: { count: 0 },
    groupOps: { count: 0 },
    txnOps: { count: 0 },
    transports: [],
    stallMs: o.stallMs ?? DEFAULT_STALL_MS,
    stalls,
    onStall,
  };
}

export async function runWorkload(o: WorkloadOptions): Promise<WorkloadResult> {
  const started = performance.now();
  const run = startRun(o);
  const txnProducers = o.transactionalProducers ?? 2;
  await setUp(o.deployment, run.partitions, txnProducers);
  try {
    await Promise.all([...producers(run), ...readers(run), ...groupMembers(run), ...transactional(run), ...maintenance(run)]);
  } finally {
    run.aws.enabled = false;
    run.readerAws.enabled = false;
    run.transports.forEach((t) => t.close());
  }
  const groups = Array.from({ length: txnProducers }, (_, i) => txnGroup(i));
  const final = await readFinalState(o.deployment, TOPIC, txnProducers > 0 ? { topic: TXN_TOPIC, groups, offsetsTopic: TOPIC } : undefined);
  const produced = run.history.events.flatMap((e) => (e.kind === 'produce' ? [e] : []));
  return {
    seed: o.seed,
    ops: run.budget.completedCount,
    durationMs: performance.now() - started,
    rates: run.rates,
    faults: run.counts,
    anomalies: [...checkHistory(run.history.events, final), ...run.stalls.map((message) => ({ kind: 'stalled' as const, message }))],
    history: run.history,
    acknowledged: produced.filter((e) => e.outcome.status === 'ok').length,
    unknownOutcome: produced.filter((e) => e.outcome.status === 'unknown').length,
    readOps: run.reads.count,
    readObservations: run.history.count('read'),
    groupOps: run.groupOps.count,
    txnOps: run.txnOps.count,
  };
}
