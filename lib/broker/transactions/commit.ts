/**
 * Committing an ONGOING transaction. When everything fits one DynamoDB
 * transaction (topic checks, one head update per partition, one index item
 * per batch, the offsets, one check per group, the meta) it commits in that
 * one step: every partition's records and every offset become visible at
 * once, or nothing does. Larger commits are prepared (PREPARE_COMMIT, with
 * the checks that can still fail) and rolled forward (roll-forward.ts).
 * Either way the final step holds every head, offset and the meta, so a
 * transaction may touch at most 99 partitions and committed offsets
 * together.
 */
import { KafkalessError } from '../../errors.js';
import type { CommittedBatchRange } from '../../protocol/txn-replies.js';
import { backoffDelayMs, defaultSleep } from '../../retry.js';
import { finished, type TxnMeta } from '../../storage/txn-meta.js';
import type { WriteItem } from '../../storage/txn-items.js';
import { buildPlan, finalStepItems, indexEntries, prepareStepItems, singleStepItems, type CommitPlan, type PartitionPlan } from './commit-plan.js';
import type { TxnDeps } from './deps.js';
import { explainGroupFailure, groupChecks, offsetWrites } from './group-writes.js';
import { MAX_COMMIT_FINAL_ITEMS } from '../../limits.js';
import { MAX_COMMIT_ATTEMPTS } from './limits.js';
import { cleanUpCommitted } from './roll-back.js';
import { ranges, rollForward } from './roll-forward.js';

export interface CommitResult {
  /** The meta after; undefined when the meta moved under us (re-read and decide again). */
  readonly meta: TxnMeta | undefined;
  readonly partitions: readonly CommittedBatchRange[];
}

export async function commitTransaction(deps: TxnDeps, meta: TxnMeta): Promise<CommitResult> {
  const plan = buildPlan(await deps.store.staged(meta.transactionalId, meta.txnSeq), meta.transactionalId);
  const finalItems = finalStepItems(plan);
  if (finalItems > MAX_COMMIT_FINAL_ITEMS) {
    throw new KafkalessError(
      'InvalidRequest',
      `Transaction ${meta.txnSeq} of '${meta.transactionalId}' touches ${plan.partitions.length} partitions and ${finalItems - plan.partitions.length - 1} offsets; a transaction may touch at most ${MAX_COMMIT_FINAL_ITEMS - 1} together. Abort it and use smaller transactions.`,
      { context: { transactionalId: meta.transactionalId } },
    );
  }
  if (singleStepItems(plan) <= MAX_COMMIT_FINAL_ITEMS) return commitInOneStep(deps, meta, plan);
  const prepared = await prepare(deps, meta, plan);
  if (prepared === undefined) return { meta: undefined, partitions: [] };
  await deps.faults.at('txn.afterPrepare', { transactionalId: meta.transactionalId });
  return rollForward(deps, prepared);
}

async function commitInOneStep(deps: TxnDeps, meta: TxnMeta, plan: CommitPlan): Promise<CommitResult> {
  for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
    const nowMs = deps.now();
    const heads = await deps.store.heads(plan.partitions);
    if (heads.some((h) => h.txnLock !== undefined)) {
      await defaultSleep(backoffDelayMs(attempt, 10, 250, deps.random));
      continue;
    }
    const bases = new Map(plan.partitions.map((p, i) => [p, heads[i]!.highWatermark]));
    const next = finished(meta, 'COMMITTED', nowMs, undefined, ranges(plan, bases));
    const items: WriteItem[] = plan.topics.map((t) => deps.items.topicCheck(t.name, t.topicId));
    for (const p of plan.partitions) items.push(...partitionWrites(deps, p, bases.get(p)!, nowMs));
    items.push(...(await offsetWrites(deps, plan.groups, nowMs)));
    const groupsAt = items.length;
    items.push(...groupChecks(deps, plan.groups, nowMs));
    const metaAt = items.length;
    items.push(deps.items.metaPut(next, meta.version));
    const outcome = await deps.store.transact(items);
    if (outcome.ok) {
      await deps.faults.at('txn.afterCommit', { transactionalId: meta.transactionalId });
      await cleanUpCommitted(deps, meta.transactionalId, next.txnSeq, plan.stagedKeys).catch(() => undefined);
      return { meta: next, partitions: next.lastRanges ?? [] };
    }
    if (outcome.failed.some((f) => f.index === metaAt)) return { meta: undefined, partitions: [] };
    await explainFailures(deps, plan, outcome.failed.map((f) => f.index), groupsAt, nowMs);
    await defaultSleep(backoffDelayMs(attempt, 4, 250, deps.random));
  }
  throw new KafkalessError('ConcurrentTransactions', `The partitions of transaction ${meta.txnSeq} of '${meta.transactionalId}' stayed contended; retry the commit`);
}

function partitionWrites(deps: TxnDeps, p: PartitionPlan, base: number, nowMs: number): WriteItem[] {
  return [
    deps.items.headAppend(p.topicId, p.partition, base, p.offsetCount, p.sizeBytes, nowMs),
    ...indexEntries(p, base, nowMs).map((e) => deps.items.indexPut(p.topicId, p.partition, e, true)),
  ];
}

/** Throws the typed reason when a topic or group check failed; returns for races (heads, offsets) worth retrying. */
async function explainFailures(deps: TxnDeps, plan: CommitPlan, failed: readonly number[], groupsAt: number, nowMs: number): Promise<void> {
  for (const index of failed) {
    if (index < plan.topics.length) {
      const topic = plan.topics[index]!;
      deps.topics.forget(topic.name);
      throw new KafkalessError('UnknownTopicOrPartition', `Topic '${topic.name}' was deleted during the transaction; abort it`, { context: { topic: topic.name } });
    }
    if (index >= groupsAt && index < groupsAt + plan.groups.length) await explainGroupFailure(deps, plan.groups[index - groupsAt]!, nowMs);
  }
}

/** PREPARE_COMMIT, with the checks that may still refuse the commit: topics exist, groups and members hold. */
async function prepare(deps: TxnDeps, meta: TxnMeta, plan: CommitPlan): Promise<TxnMeta | undefined> {
  if (prepareStepItems(plan) > MAX_COMMIT_FINAL_ITEMS) throw new KafkalessError('InvalidRequest', 'The transaction spans too many topics and groups to prepare in one step');
  const nowMs = deps.now();
  const prepared: TxnMeta = { ...meta, state: 'PREPARE_COMMIT', preparedAtMs: nowMs, updatedAtMs: nowMs, version: meta.version + 1 };
  const items: WriteItem[] = [deps.items.metaPut(prepared, meta.version), ...plan.topics.map((t) => deps.items.topicCheck(t.name, t.topicId))];
  const groupsAt = items.length;
  items.push(...groupChecks(deps, plan.groups, nowMs));
  for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
    const outcome = await deps.store.transact(items);
    if (outcome.ok) return prepared;
    if (outcome.failed.some((f) => f.index === 0)) return undefined;
    const shifted = outcome.failed.map((f) => f.index - 1);
    await explainFailures(deps, plan, shifted, groupsAt - 1, nowMs);
    await defaultSleep(backoffDelayMs(attempt, 4, 250, deps.random));
  }
  return undefined;
}
