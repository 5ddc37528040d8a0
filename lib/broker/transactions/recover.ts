/**
 * Recovery, run on a schedule (and callable by hand): finishes what dead
 * producers and crashed functions left. For every transactional id with an
 * open marker: a transaction ONGOING past its transaction.timeout.ms is
 * aborted; a prepared commit is rolled forward and a prepared abort rolled
 * back once untouched for RECOVERY_GRACE_MS; staged items a commit left are
 * deleted. Time is passed in, so a test can run it "later".
 */
import type { TxnMeta } from '../../storage/txn-meta.js';
import type { TxnDeps } from './deps.js';
import { RECOVERY_GRACE_MS } from './limits.js';
import { abortTransaction, cleanUpCommitted, rollBack } from './roll-back.js';
import { rollForward } from './roll-forward.js';

export interface RecoverySummary {
  /** Transactional ids looked at. */
  readonly examined: number;
  /** ONGOING transactions aborted for outliving their timeout. */
  readonly timedOut: number;
  readonly rolledForward: number;
  readonly rolledBack: number;
  /** Ids whose recovery failed this time (retried on the next run), with why. */
  readonly failures: readonly { readonly transactionalId: string; readonly error: string }[];
}

type Action = 'timedOut' | 'rolledForward' | 'rolledBack' | 'none';

export async function recoverTransactions(deps: TxnDeps, nowMs: number): Promise<RecoverySummary> {
  const counts = { timedOut: 0, rolledForward: 0, rolledBack: 0 };
  const failures: { transactionalId: string; error: string }[] = [];
  const ids = await deps.store.openTransactionalIds();
  for (const id of ids) {
    try {
      const action = await recoverOne(deps, id, nowMs);
      if (action !== 'none') counts[action]++;
    } catch (err) {
      failures.push({ transactionalId: id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return { examined: ids.length, ...counts, failures };
}

async function recoverOne(deps: TxnDeps, transactionalId: string, nowMs: number): Promise<Action> {
  const meta = await deps.store.getMeta(transactionalId);
  if (meta === undefined) {
    await deps.store.deleteOpenMarker(transactionalId, Number.MAX_SAFE_INTEGER);
    return 'none';
  }
  const idle = nowMs - meta.updatedAtMs >= RECOVERY_GRACE_MS;
  switch (meta.state) {
    case 'ONGOING':
      if (!timedOut(meta, nowMs)) return 'none';
      return (await abortTransaction(deps, meta, 'timeout')) === undefined ? 'none' : 'timedOut';
    case 'PREPARE_COMMIT':
      if (!idle) return 'none';
      return (await rollForward(deps, meta)).meta === undefined ? 'none' : 'rolledForward';
    case 'PREPARE_ABORT':
      if (!idle) return 'none';
      return (await rollBack(deps, meta)) === undefined ? 'none' : 'rolledBack';
    case 'EMPTY':
      await cleanUpCommitted(deps, transactionalId, meta.txnSeq);
      return 'none';
  }
}

function timedOut(meta: TxnMeta, nowMs: number): boolean {
  return meta.startedAtMs !== undefined && nowMs > meta.startedAtMs + meta.timeoutMs;
}
