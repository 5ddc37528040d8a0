/**
 * A large commit (more than one DynamoDB transaction can hold), from
 * PREPARE_COMMIT on:
 *  1. lock every partition head in key order (`txnLock`), recording its
 *     high watermark as the transaction's base offset; ordinary appends
 *     and other commits wait while it is held;
 *  2. write the batch index items above the high watermark, where no reader
 *     looks (fetch never reads past the high watermark it read first);
 *  3. one final transaction moves every head past its batches and unlocks
 *     it, writes the consumer offsets, and closes the transaction.
 * Steps 1 and 2 are conditional on the meta still being this prepared
 * commit, so nothing is locked or written after it finished. Every step is
 * idempotent: a new instance, recovery or a retried commit runs it again.
 * Locks are taken in one global order, so two large commits never wait on
 * each other in a cycle.
 */
import { KafkalessError } from '../../errors.js';
import { backoffDelayMs, defaultSleep } from '../../retry.js';
import type { CommittedBatchRange } from '../../protocol/txn-replies.js';
import { finished, lockName, type TxnMeta } from '../../storage/txn-meta.js';
import type { LockableHead } from '../../storage/txn-store.js';
import type { WriteItem } from '../../storage/txn-items.js';
import { buildPlan, indexEntries, type CommitPlan, type PartitionPlan } from './commit-plan.js';
import type { TxnDeps } from './deps.js';
import { offsetWrites } from './group-writes.js';
import { MAX_COMMIT_ATTEMPTS } from './limits.js';
import { cleanUpCommitted } from './roll-back.js';
import { DYNAMODB_TRANSACTION_ITEMS } from '../../limits.js';

/** Items per cleanup transaction, leaving one for the meta. */
const CHUNK = DYNAMODB_TRANSACTION_ITEMS - 1;

export interface RollForwardResult {
  /** The meta after, or undefined when another party finished the commit first. */
  readonly meta: TxnMeta | undefined;
  readonly partitions: readonly CommittedBatchRange[];
}

export async function rollForward(deps: TxnDeps, prepared: TxnMeta): Promise<RollForwardResult> {
  if (prepared.state !== 'PREPARE_COMMIT') throw new KafkalessError('InvalidTxnState', `Cannot roll forward a transaction in state ${prepared.state}`);
  const plan = buildPlan(await deps.store.staged(prepared.transactionalId, prepared.txnSeq), prepared.transactionalId);
  const lock = lockName(prepared.transactionalId, prepared.txnSeq);
  const appendTimeMs = prepared.preparedAtMs ?? prepared.updatedAtMs;
  if (!(await lockAll(deps, prepared, plan, lock))) return { meta: undefined, partitions: [] };
  const heads = await deps.store.heads(plan.partitions);
  if (heads.some((h) => h.txnLock !== lock)) return { meta: undefined, partitions: [] };
  const bases = new Map(heads.map((h, i) => [plan.partitions[i]!, h.txnBase!]));
  if (!(await writeIndex(deps, prepared, plan, bases, appendTimeMs))) return { meta: undefined, partitions: [] };
  await deps.faults.at('txn.midCommit', { transactionalId: prepared.transactionalId });
  const meta = await finish(deps, prepared, plan, bases, lock, appendTimeMs);
  if (meta !== undefined) {
    await deps.faults.at('txn.afterCommit', { transactionalId: meta.transactionalId });
    await cleanUpCommitted(deps, meta.transactionalId, meta.txnSeq, plan.stagedKeys).catch(() => undefined);
  }
  return { meta, partitions: meta === undefined ? [] : ranges(plan, bases) };
}

/** Locks every head; false when the commit was finished by someone else meanwhile. */
async function lockAll(deps: TxnDeps, prepared: TxnMeta, plan: CommitPlan, lock: string): Promise<boolean> {
  const check = deps.items.metaCheck(prepared.transactionalId, 'PREPARE_COMMIT', prepared.txnSeq);
  for (let i = 0; i < plan.partitions.length; i += CHUNK) {
    const chunk = plan.partitions.slice(i, i + CHUNK);
    for (let attempt = 0; ; attempt++) {
      const outcome = await deps.store.transact([check, ...chunk.map((p) => deps.items.headLock(p.topicId, p.partition, lock, deps.now()))]);
      if (outcome.ok) break;
      if (outcome.failed.some((f) => f.index === 0)) return false;
      if (attempt + 1 >= MAX_COMMIT_ATTEMPTS) {
        throw new KafkalessError('ConcurrentTransactions', `Partitions of transaction '${lock}' stay locked by another commit; the commit is prepared and will complete: retry`);
      }
      await defaultSleep(backoffDelayMs(attempt, 10, 500, deps.random));
    }
  }
  return true;
}

/** Puts the index items above each locked head; false when the commit was finished meanwhile. */
async function writeIndex(deps: TxnDeps, prepared: TxnMeta, plan: CommitPlan, bases: Map<PartitionPlan, number>, appendTimeMs: number): Promise<boolean> {
  const check = deps.items.metaCheck(prepared.transactionalId, 'PREPARE_COMMIT', prepared.txnSeq);
  const puts = plan.partitions.flatMap((p) => indexEntries(p, bases.get(p)!, appendTimeMs).map((e) => deps.items.indexPut(p.topicId, p.partition, e, false)));
  for (let i = 0; i < puts.length; i += CHUNK) {
    const outcome = await deps.store.transact([check, ...puts.slice(i, i + CHUNK)]);
    if (!outcome.ok) return false;
  }
  return true;
}

/** The final transaction; retried while only offsets raced. Undefined when someone else finished first. */
async function finish(
  deps: TxnDeps,
  prepared: TxnMeta,
  plan: CommitPlan,
  bases: Map<PartitionPlan, number>,
  lock: string,
  appendTimeMs: number,
): Promise<TxnMeta | undefined> {
  let meta = prepared;
  for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
    const next = finished(meta, 'COMMITTED', deps.now(), undefined, ranges(plan, bases));
    const heads: WriteItem[] = plan.partitions.map((p) => deps.items.headRelease(p.topicId, p.partition, lock, bases.get(p)!, p.offsetCount, p.sizeBytes, appendTimeMs));
    const offsets = await offsetWrites(deps, plan.groups, deps.now());
    const outcome = await deps.store.transact([...heads, ...offsets, deps.items.metaPut(next, meta.version)]);
    if (outcome.ok) return next;
    const current = await deps.store.getMeta(prepared.transactionalId);
    if (current === undefined || current.state !== 'PREPARE_COMMIT' || current.txnSeq !== prepared.txnSeq) return undefined;
    meta = current;
    await defaultSleep(backoffDelayMs(attempt, 5, 200, deps.random));
  }
  throw new KafkalessError('ConcurrentTransactions', `The commit of '${lock}' kept racing; it is prepared and will complete: retry`);
}

export function ranges(plan: CommitPlan, bases: ReadonlyMap<PartitionPlan, number>): CommittedBatchRange[] {
  return plan.partitions.map((p) => ({ topic: p.topic, partition: p.partition, baseOffset: bases.get(p)!, lastOffset: bases.get(p)! + p.offsetCount - 1 }));
}

/** Whether a head is held by a large commit. */
export function isLocked(head: LockableHead): boolean {
  return head.txnLock !== undefined;
}
