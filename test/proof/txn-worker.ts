/**
 * A transactional producer in a workload: each transaction sends records to
 * one to three partitions of the transactions topic and commits an offset
 * for its own consumer group (the transaction's number, so later ones are
 * higher), then commits or aborts. Now and then the instance "crashes"
 * with a transaction open and a new instance with the same transactional.id
 * takes over; sometimes the crashed one comes back as a zombie and tries to
 * commit. Reads of the topic are recorded too. Every transaction is recorded
 * with what the client knows of its outcome.
 */
import type { Kafkaless } from '../../lib/client/kafkaless.js';
import type { Producer } from '../../lib/client/producer/producer.js';
import type { CommittedBatchRange } from '../../lib/protocol/txn-replies.js';
import { retry } from '../../lib/retry.js';
import type { TransactionEvent } from './history.js';
import { describe } from './producer-worker.js';
import { withDeadline } from './watchdog.js';
import type { WorkerBase } from './worker.js';

export interface TxnWorkerOptions extends WorkerBase {
  readonly name: string;
  readonly kafkaless: Kafkaless;
  /** Where the transactions write. */
  readonly topic: string;
  readonly partitions: number;
  /** The group the transactions commit offsets for, and the topic those offsets are of. */
  readonly group: string;
  readonly offsetsTopic: string;
  /** Transactional operations take at most this share of the tickets handed out so far (all such workers together). */
  readonly share: number;
  /** Transactional operations so far, counted together. */
  readonly ops: { count: number };
  /** Share of this worker's operations that are reads of the topic. */
  readonly readShare: number;
}

const ABORT_CHANCE = 0.2;
const CRASH_CHANCE = 0.05;
/** Of the crashes, the share whose old instance later tries to commit. */
const ZOMBIE_CHANCE = 0.5;
const MAX_PARTITIONS = 3;
const MAX_RECORDS = 3;
const COMMIT_ATTEMPTS = 3;
/** Short, so the maintenance schedule's recovery has something to do under storms. */
const TRANSACTION_TIMEOUT_MS = 10_000;

export async function runTransactions(o: TxnWorkerOptions): Promise<void> {
  let producer = await freshInstance(o);
  let valueCount = 0;
  const knownEnd = new Array<number>(o.partitions).fill(0);
  o.history.onEvent((e) => {
    if (e.kind === 'transaction') for (const r of e.ranges) knownEnd[r.partition] = Math.max(knownEnd[r.partition] ?? 0, r.lastOffset + 1);
  });
  let n = 0;
  while (await o.budget.takeWithin(o.ops, o.share)) {
    try {
      if (o.random() < o.readShare) {
        await withDeadline(readSome(o, knownEnd), o.stallMs, () => `${o.name}'s read`, o.onStall).catch(() => undefined);
        continue;
      }
      const partitions = pickPartitions(o);
      const values = partitions.flatMap((partition) => Array.from({ length: 1 + Math.floor(o.random() * MAX_RECORDS) }, () => ({ partition, value: `${o.name}/${valueCount++}` })));
      const plan = o.random();
      const txn = { values, group: o.group, offset: ++n };
      const work = plan < CRASH_CHANCE ? crash(o, producer, txn) : plan < CRASH_CHANCE + ABORT_CHANCE ? oneTransaction(o, producer, txn, false) : oneTransaction(o, producer, txn, true);
      producer = await withDeadline(work, o.stallMs, () => `${o.name}'s transaction ${n}`, o.onStall).catch(() => producer);
    } finally {
      o.budget.complete();
    }
  }
  await producer.disconnect().catch(() => undefined);
}

interface Planned {
  readonly values: readonly { readonly partition: number; readonly value: string }[];
  readonly group: string;
  readonly offset: number;
}

function pickPartitions(o: TxnWorkerOptions): number[] {
  const count = 1 + Math.floor(o.random() * Math.min(MAX_PARTITIONS, o.partitions));
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(Math.floor(o.random() * o.partitions));
  return [...chosen];
}

/** A new instance with the transactional id: fences the last one and finishes what it left. */
async function freshInstance(o: TxnWorkerOptions): Promise<Producer> {
  for (;;) {
    const producer = o.kafkaless.producer({
      'transactional.id': o.name,
      'transaction.timeout.ms': TRANSACTION_TIMEOUT_MS,
      'linger.ms': 1,
      'retry.backoff.ms': 5,
      'retry.backoff.max.ms': 100,
      random: o.random,
    });
    try {
      await retry(() => producer.initTransactions(), { maxAttempts: 20, initialDelayMs: 20, maxDelayMs: 500, random: o.random });
      return producer;
    } catch {
      await producer.disconnect().catch(() => undefined);
    }
  }
}

/** Sends the planned records and offsets in an open transaction. */
async function stage(producer: Producer, o: TxnWorkerOptions, txn: Planned): Promise<void> {
  producer.beginTransaction();
  await producer.send({ topic: o.topic, messages: txn.values.map((v) => ({ value: v.value, partition: v.partition })) });
  await producer.sendOffsetsToTransaction({ consumerGroupId: txn.group, topics: [{ topic: o.offsetsTopic, partitions: [{ partition: 0, offset: txn.offset }] }] });
}

function record(o: TxnWorkerOptions, txn: Planned, invokedMs: number, outcome: TransactionEvent['outcome'], ranges: readonly CommittedBatchRange[] = [], error?: string): void {
  o.history.add({
    kind: 'transaction',
    transactionalId: o.name,
    values: txn.values,
    group: txn.group,
    offset: txn.offset,
    outcome,
    ranges: ranges.map((r) => ({ partition: r.partition, baseOffset: r.baseOffset, lastOffset: r.lastOffset })),
    ...(error !== undefined ? { error } : {}),
    invokedMs,
    completedMs: o.history.nowMs(),
  });
}

/**
 * Commits (or aborts) one transaction. The outcome recorded is what the
 * client knows: committed when a commit call succeeded; unknown when a
 * commit was asked and did not succeed (it may have taken effect); aborted
 * whenever commit was never asked (only a commit makes records visible),
 * whether the abort call succeeded or the next instance has to finish it.
 * An instance left in doubt is replaced: the new one fences it and settles
 * what it left.
 */
async function oneTransaction(o: TxnWorkerOptions, producer: Producer, txn: Planned, commit: boolean): Promise<Producer> {
  const invokedMs = o.history.nowMs();
  try {
    await stage(producer, o, txn);
  } catch (err) {
    const aborted = await producer.abortTransaction().then(() => true, () => false);
    record(o, txn, invokedMs, 'aborted', [], describe(err));
    return aborted ? producer : replace(o, producer);
  }
  if (!commit) {
    const aborted = await producer.abortTransaction().then(() => true, () => false);
    record(o, txn, invokedMs, 'aborted', [], aborted ? undefined : 'abort failed');
    return aborted ? producer : replace(o, producer);
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
    try {
      // A retriable failure leaves the transaction open, so the same commit may be asked again.
      const ranges = await producer.commitTransaction();
      record(o, txn, invokedMs, 'committed', ranges);
      return producer;
    } catch (err) {
      lastError = err;
    }
  }
  record(o, txn, invokedMs, 'unknown', [], describe(lastError));
  return replace(o, producer);
}

async function replace(o: TxnWorkerOptions, producer: Producer): Promise<Producer> {
  await producer.disconnect().catch(() => undefined);
  return freshInstance(o);
}

/**
 * The instance dies with the transaction open (commit never asked): the next
 * instance must abort it, so none of it may ever be seen. Half the time the
 * dead instance comes back and tries to commit: it must be fenced.
 */
async function crash(o: TxnWorkerOptions, producer: Producer, txn: Planned): Promise<Producer> {
  const invokedMs = o.history.nowMs();
  const staged = await stage(producer, o, txn).then(() => true, () => false);
  const next = await freshInstance(o);
  let zombieCommitted = false;
  if (staged && o.random() < ZOMBIE_CHANCE) zombieCommitted = await producer.commitTransaction().then(() => true, () => false);
  await producer.disconnect().catch(() => undefined);
  // Recorded as aborted even if the zombie's commit claimed success: the checker then finds its records, which is the anomaly.
  record(o, txn, invokedMs, 'aborted', [], zombieCommitted ? 'zombie commit succeeded' : 'crashed');
  return next;
}

/** A read_committed fetch of one partition from a random offset up to the highest this worker saw committed. */
async function readSome(o: TxnWorkerOptions, knownEnd: readonly number[]): Promise<void> {
  const partition = Math.floor(o.random() * o.partitions);
  const consumer = o.kafkaless.consumer({ 'isolation.level': 'read_committed', 'auto.offset.reset': 'earliest', 'max.partition.fetch.bytes': 16 * 1024 });
  const invokedMs = o.history.nowMs();
  consumer.assign([{ topic: o.topic, partition }]);
  consumer.seek({ topic: o.topic, partition, offset: Math.floor(o.random() * (knownEnd[partition] ?? 0)) });
  const records = await consumer.poll({ timeoutMs: 0 });
  o.history.add({
    kind: 'txn-read',
    partition,
    records: records.map((r) => ({ offset: r.offset, value: r.value === null ? null : r.value.toString() })),
    invokedMs,
    completedMs: o.history.nowMs(),
  });
}
