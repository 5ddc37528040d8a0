/**
 * A transactional producer of the gateway proof: kafkajs with a
 * transactional id, through a gateway. Each transaction sends 1–9 records
 * to 1–3 partitions of the transactions topic, commits an offset for its
 * own group with `sendOffsets` (the transaction's number, so offsets only
 * rise), then commits (75 %) or aborts (20 %); 5 % "crash" with the
 * transaction open: a new producer with the same transactional id takes
 * over, and half the time the old one, a zombie, tries to commit (it must be
 * fenced). A kafkajs producer whose transaction failed cannot go on; a new
 * one with the same id replaces it (its InitProducerId ends what was open).
 *
 * Kafka's EndTxn answers no offsets, so a committed transaction is recorded
 * with ranges that span the whole partition: the checker's "inside the
 * ranges its commit answered" does not apply here; everything else does.
 * A fifth of the tickets are read_committed fetches of the topic.
 */
import type { Kafka, Producer } from 'kafkajs';
import { clientError, KAFKAJS_RETRY, sleep } from './gateway-clients.js';
import type { RawFetcher } from './gateway-reader-worker.js';
import type { TransactionEvent } from './history.js';
import { withDeadline } from './watchdog.js';
import type { WorkerBase } from './worker.js';

export interface GatewayTxnOptions extends WorkerBase {
  readonly name: string;
  readonly kafka: Kafka;
  readonly fetcher: RawFetcher;
  readonly topic: string;
  readonly partitions: number;
  readonly group: string;
  /** Whose offsets the transactions commit (partition 0). */
  readonly offsetsTopic: string;
  readonly share: number;
  readonly ops: { count: number };
  readonly readShare: number;
}

const COMMIT_CHANCE = 0.75;
const ABORT_CHANCE = 0.2;
const ZOMBIE_CHANCE = 0.5;
const TRANSACTION_TIMEOUT_MS = 10_000;
const WHOLE = Number.MAX_SAFE_INTEGER;

async function fresh(o: GatewayTxnOptions): Promise<Producer> {
  for (;;) {
    const producer = o.kafka.producer({ transactionalId: o.name, idempotent: true, maxInFlightRequests: 1, transactionTimeout: TRANSACTION_TIMEOUT_MS, retry: KAFKAJS_RETRY });
    try {
      // kafkajs sends the transactional InitProducerId (which fences the older instance) at its first transaction, not at connect.
      const initialized = producer.connect().then(async () => (await producer.transaction()).abort());
      await withDeadline(initialized, o.stallMs, () => `${o.name}'s connect`, o.onStall);
      return producer;
    } catch {
      await producer.disconnect().catch(() => undefined);
      await sleep(200);
    }
  }
}

interface Planned {
  readonly number: number;
  readonly values: { partition: number; value: string }[];
}

function plan(o: GatewayTxnOptions, number: number): Planned {
  const count = 1 + Math.floor(o.random() * 9);
  const spread = 1 + Math.floor(o.random() * Math.min(3, o.partitions));
  const first = Math.floor(o.random() * o.partitions);
  const values = Array.from({ length: count }, (_, i) => ({ partition: (first + (i % spread)) % o.partitions, value: `${o.name}/t${number}/${i}` }));
  return { number, values };
}

/** Sends the records and the offset inside an open transaction. */
async function stage(o: GatewayTxnOptions, producer: Producer, txn: Planned) {
  const t = await producer.transaction();
  for (const partition of new Set(txn.values.map((v) => v.partition))) {
    await t.send({ topic: o.topic, acks: -1, messages: txn.values.filter((v) => v.partition === partition).map((v) => ({ partition, value: v.value })) });
  }
  await t.sendOffsets({ consumerGroupId: o.group, topics: [{ topic: o.offsetsTopic, partitions: [{ partition: 0, offset: String(txn.number) }] }] });
  return t;
}

function record(o: GatewayTxnOptions, txn: Planned, invokedMs: number, outcome: TransactionEvent['outcome'], error?: string): void {
  const ranges = outcome === 'committed' ? [...new Set(txn.values.map((v) => v.partition))].map((partition) => ({ partition, baseOffset: 0, lastOffset: WHOLE })) : [];
  o.history.add({ kind: 'transaction', transactionalId: o.name, values: txn.values, group: o.group, offset: txn.number, outcome, ranges, ...(error !== undefined ? { error } : {}), invokedMs, completedMs: o.history.nowMs() });
}

/** One transaction; answers the producer to go on with. */
async function transact(o: GatewayTxnOptions, producer: Producer, txn: Planned): Promise<Producer> {
  const invokedMs = o.history.nowMs();
  const roll = o.random();
  let commitAsked = false;
  try {
    const t = await stage(o, producer, txn);
    if (roll < COMMIT_CHANCE) {
      commitAsked = true;
      await t.commit();
      record(o, txn, invokedMs, 'committed');
      return producer;
    }
    if (roll < COMMIT_CHANCE + ABORT_CHANCE) {
      await t.abort();
      record(o, txn, invokedMs, 'aborted');
      return producer;
    }
    // A crash with the transaction open: the next instance must abort it.
    const next = await fresh(o);
    const zombieCommitted = o.random() < ZOMBIE_CHANCE ? await t.commit().then(() => true, () => false) : false;
    await producer.disconnect().catch(() => undefined);
    // Recorded as never committed even if the zombie's commit claimed success: the checker then finds its records, which is the anomaly.
    record(o, txn, invokedMs, 'aborted', zombieCommitted ? 'zombie commit succeeded' : 'crashed');
    return next;
  } catch (err) {
    record(o, txn, invokedMs, commitAsked ? 'unknown' : 'aborted', clientError(err));
    await producer.disconnect().catch(() => undefined);
    return fresh(o);
  }
}

async function readSome(o: GatewayTxnOptions, knownEnd: number[]): Promise<void> {
  const partition = Math.floor(o.random() * o.partitions);
  const offset = Math.floor(o.random() * ((knownEnd[partition] ?? 0) + 1));
  const invokedMs = o.history.nowMs();
  const read = await o.fetcher.fetch(o.topic, partition, offset, 1);
  if (read === undefined) return;
  knownEnd[partition] = Math.max(knownEnd[partition] ?? 0, read.highWatermark);
  o.history.add({ kind: 'txn-read', partition, records: read.records, invokedMs, completedMs: o.history.nowMs() });
}

export async function runGatewayTransactions(o: GatewayTxnOptions): Promise<void> {
  let producer = await fresh(o);
  const knownEnd: number[] = [];
  let number = 0;
  while (await o.budget.takeWithin(o.ops, o.share)) {
    try {
      if (o.random() < o.readShare) await withDeadline(readSome(o, knownEnd), o.stallMs, () => `${o.name}'s read_committed fetch`, o.onStall).catch(() => undefined);
      else {
        const txn = plan(o, ++number);
        producer = await withDeadline(transact(o, producer, txn), o.stallMs, () => `${o.name}'s transaction ${txn.number}`, o.onStall).catch(() => fresh(o));
      }
    } finally {
      o.budget.complete();
    }
  }
  await producer.disconnect().catch(() => undefined);
  await o.fetcher.close().catch(() => undefined);
}
