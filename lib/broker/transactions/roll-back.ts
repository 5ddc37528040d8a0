/**
 * Aborting: the meta is first frozen in PREPARE_ABORT (no more staging),
 * then the staged batches' ingest objects are released (nothing ever
 * pointed at them from the index, so their references drop to 0 and the
 * collector reclaims them), the staged items are deleted, and the meta
 * moves on to the next transaction. Every step is idempotent: whoever finds
 * a PREPARE_ABORT (the producer retrying, a new instance, recovery) runs
 * the rest again safely.
 */
import { KafkalessError } from '../../errors.js';
import { finished, type AbortReason, type TxnMeta } from '../../storage/txn-meta.js';
import type { TxnDeps } from './deps.js';

/** Aborts the ONGOING (or EMPTY) transaction of this meta. Returns the meta after. */
export async function abortTransaction(deps: TxnDeps, meta: TxnMeta, reason: AbortReason): Promise<TxnMeta | undefined> {
  if (meta.state === 'EMPTY') {
    const next = finished(meta, 'ABORTED', deps.now(), reason);
    return (await deps.store.putMeta(next, meta.version)) ? next : undefined;
  }
  if (meta.state !== 'ONGOING') throw new Error(`abortTransaction from ${meta.state}`);
  const frozen: TxnMeta = { ...meta, state: 'PREPARE_ABORT', abortReason: reason, updatedAtMs: deps.now(), version: meta.version + 1 };
  if (!(await deps.store.putMeta(frozen, meta.version))) return undefined;
  await deps.faults.at('txn.midAbort', { transactionalId: meta.transactionalId });
  return rollBack(deps, frozen);
}

/** Finishes an abort in PREPARE_ABORT. Returns the meta after, or undefined when someone else moved it first. */
export async function rollBack(deps: TxnDeps, meta: TxnMeta): Promise<TxnMeta | undefined> {
  if (meta.state !== 'PREPARE_ABORT') throw new KafkalessError('InvalidTxnState', `Cannot roll back a transaction in state ${meta.state}`);
  const staged = await deps.store.staged(meta.transactionalId, meta.txnSeq);
  const objects = staged.flatMap((s) => (s.staged.kind === 'batch' ? [s.staged.objectKey] : []));
  await deps.store.releaseObjects(objects, deps.now());
  await deps.store.deleteStaged(meta.transactionalId, staged.map((s) => s.sk));
  const next = finished(meta, 'ABORTED', deps.now(), meta.abortReason ?? 'client');
  if (!(await deps.store.putMeta(next, meta.version))) return undefined;
  await deps.store.deleteOpenMarker(meta.transactionalId, meta.txnSeq);
  return next;
}

/**
 * Removes staged items that committed transactions left (their data lives on
 * in the index), then the open marker. `known`: the committed transaction's
 * own staged keys, when the caller has them (saves looking them up).
 */
export async function cleanUpCommitted(deps: TxnDeps, transactionalId: string, nextTxnSeq: number, known?: readonly string[]): Promise<void> {
  const leftovers = known ?? (await deps.store.stagedBefore(transactionalId, nextTxnSeq));
  await deps.store.deleteStaged(transactionalId, leftovers);
  await deps.store.deleteOpenMarker(transactionalId, nextTxnSeq - 1);
}
