/**
 * Staging: one DynamoDB transaction that writes a transaction's staged items
 * (and, for batches, registers their ingest object so the collector keeps
 * it), conditional on the coordinator's meta: same producer and epoch, this
 * transaction's number, and a state that takes new work (EMPTY becomes
 * ONGOING). Nothing staged is visible to any reader.
 */
import { KafkalessError } from '../../errors.js';
import type { TransactionRef } from '../../protocol/txn-requests.js';
import { retry } from '../../retry.js';
import type { WriteItem } from '../../storage/txn-items.js';
import { itemToMeta } from '../../storage/txn-meta.js';
import { itemToStaged, type StagedItem } from '../../storage/txn-staged.js';
import type { TxnDeps } from './deps.js';
import { requireOpen } from './fencing.js';
import { objectCollected } from '../produce/ingest-key.js';

class StageConflict extends Error {
  readonly retriable = true;
}

export interface StageInput {
  readonly ref: TransactionRef;
  readonly items: readonly StagedItem[];
  /** The ingest object the staged batches point into, registered with one reference per batch. */
  readonly objectKey?: string;
}

/**
 * Stages the items; a batch staged before (a retried send) is not staged twice. Returns how many were new.
 * With no items it only opens the transaction (the meta update and the open marker).
 */
export async function stage(deps: TxnDeps, input: StageInput): Promise<number> {
  const { ref } = input;
  let pending = [...input.items];
  let written = 0;
  let done = false;
  await retry(
    async () => {
      if (done) return;
      const nowMs = deps.now();
      const staged = pending.map((s) => ({ ...s, stagedAtMs: nowMs }));
      const items: WriteItem[] = [deps.items.stagingMetaUpdate(ref, nowMs), ...staged.map((s) => deps.items.stagedPut(ref.transactionalId, s))];
      const batches = staged.filter((s) => s.kind === 'batch').length;
      const objectAt = input.objectKey !== undefined && batches > 0 ? items.push(deps.items.objectPut(input.objectKey, batches, nowMs)) - 1 : -1;
      const marker = deps.opened.get(ref.transactionalId) !== ref.txnSeq;
      if (marker) items.push(deps.items.openMarkerPut(ref.transactionalId, ref.txnSeq, nowMs));
      const outcome = await deps.store.transact(items);
      if (outcome.ok) {
        if (marker) deps.opened.set(ref.transactionalId, ref.txnSeq);
        written += pending.length;
        pending = [];
        done = true;
        return;
      }
      const metaFailure = outcome.failed.find((f) => f.index === 0);
      if (metaFailure !== undefined) {
        requireOpen(metaFailure.old === undefined ? undefined : itemToMeta(metaFailure.old), ref);
        throw new StageConflict('the transaction changed while staging');
      }
      if (outcome.failed.some((f) => f.index === objectAt)) throw objectCollected(input.objectKey!);
      const duplicates = new Set<StagedItem>();
      for (const f of outcome.failed) {
        const mine = pending[f.index - 1];
        if (mine === undefined || mine.kind !== 'batch' || f.old === undefined) continue;
        const earlier = itemToStaged(f.old);
        if (earlier.kind !== 'batch' || earlier.lastSequence !== mine.lastSequence) {
          throw new KafkalessError(
            'OutOfOrderSequence',
            `Sequence ${mine.baseSequence} for partition ${mine.partition} of '${mine.topic}' was already staged in this transaction with other records`,
            { context: { topic: mine.topic, partition: mine.partition } },
          );
        }
        duplicates.add(mine);
      }
      pending = pending.filter((p) => !duplicates.has(p));
      // Every item was staged before: the attempt that staged them opened the transaction too.
      done = input.items.length > 0 && pending.length === 0;
      throw new StageConflict('some batches were staged before');
    },
    {
      maxAttempts: 30,
      initialDelayMs: 4,
      maxDelayMs: 200,
      random: deps.random,
      isRetriable: (err) => err instanceof StageConflict || (!(err instanceof KafkalessError) && (err as { retriable?: boolean }).retriable === true),
    },
  ).catch((err: unknown) => {
    if (err instanceof StageConflict) {
      throw new KafkalessError('ConcurrentTransactions', `Transaction ${ref.txnSeq} of '${ref.transactionalId}' stayed contended; retry`, { cause: err });
    }
    throw err;
  });
  return written;
}
