/**
 * EndTxn: commit or abort the transaction the producer names. A retry of an
 * end that already happened (its reply was lost) is answered as it was the
 * first time; the opposite end of a finished transaction is InvalidTxnState
 * (TransactionAbortable when it timed out). A commit of a transaction past
 * transaction.timeout.ms aborts it instead.
 */
import { KafkalessError } from '../../errors.js';
import type { EndTxnRequest } from '../../protocol/txn-requests.js';
import type { EndTxnReply } from '../../protocol/txn-replies.js';
import { finished, type TxnMeta } from '../../storage/txn-meta.js';
import { commitTransaction } from './commit.js';
import type { TxnDeps } from './deps.js';
import { ended, requireOwner } from './fencing.js';
import { abortTransaction, rollBack } from './roll-back.js';
import { rollForward } from './roll-forward.js';

const MAX_ROUNDS = 20;

export async function endTransaction(deps: TxnDeps, request: EndTxnRequest): Promise<EndTxnReply> {
  const ref = request.transaction;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const meta = requireOwner(await deps.store.getMeta(ref.transactionalId), ref);
    if (ref.txnSeq !== meta.txnSeq) return alreadyEnded(meta, request);
    const reply = await step(deps, meta, request.commit);
    if (reply !== undefined) return reply;
  }
  throw new KafkalessError('ConcurrentTransactions', `Transaction ${ref.txnSeq} of '${ref.transactionalId}' kept changing while ending it; retry`);
}

/** One attempt from the meta read; undefined when the meta moved meanwhile. */
async function step(deps: TxnDeps, meta: TxnMeta, commit: boolean): Promise<EndTxnReply | undefined> {
  const context = { transactionalId: meta.transactionalId };
  switch (meta.state) {
    case 'EMPTY': {
      const next = await abortOrCommitEmpty(deps, meta, commit);
      return next === undefined ? undefined : { committed: commit, nextTxnSeq: next.txnSeq, partitions: [] };
    }
    case 'ONGOING': {
      if (!commit) return replyOf(await abortTransaction(deps, meta, 'client'), false);
      if (meta.startedAtMs !== undefined && deps.now() > meta.startedAtMs + meta.timeoutMs) {
        const aborted = await abortTransaction(deps, meta, 'timeout');
        if (aborted === undefined) return undefined;
        throw ended(aborted, { transactionalId: meta.transactionalId, producerId: meta.producerId, producerEpoch: meta.producerEpoch, txnSeq: meta.txnSeq });
      }
      const result = await commitTransaction(deps, meta);
      return result.meta === undefined ? undefined : { committed: true, nextTxnSeq: result.meta.txnSeq, partitions: result.partitions };
    }
    case 'PREPARE_COMMIT': {
      if (!commit) throw new KafkalessError('InvalidTxnState', `Transaction ${meta.txnSeq} of '${meta.transactionalId}' is being committed; it cannot be aborted`, { context });
      const result = await rollForward(deps, meta);
      return result.meta === undefined ? undefined : { committed: true, nextTxnSeq: result.meta.txnSeq, partitions: result.partitions };
    }
    case 'PREPARE_ABORT': {
      if (commit) throw new KafkalessError('InvalidTxnState', `Transaction ${meta.txnSeq} of '${meta.transactionalId}' is being aborted; it cannot be committed`, { context });
      return replyOf(await rollBack(deps, meta), false);
    }
  }
}

async function abortOrCommitEmpty(deps: TxnDeps, meta: TxnMeta, commit: boolean): Promise<TxnMeta | undefined> {
  if (!commit) return abortTransaction(deps, meta, 'client');
  const next = finished(meta, 'COMMITTED', deps.now());
  return (await deps.store.putMeta(next, meta.version)) ? next : undefined;
}

function replyOf(meta: TxnMeta | undefined, committed: boolean): EndTxnReply | undefined {
  return meta === undefined ? undefined : { committed, nextTxnSeq: meta.txnSeq, partitions: [] };
}

/** The transaction named already ended: the same end again is answered as before; any other is an error. */
function alreadyEnded(meta: TxnMeta, request: EndTxnRequest): EndTxnReply {
  const ref = request.transaction;
  if (ref.txnSeq > meta.txnSeq) {
    throw new KafkalessError('InvalidTxnState', `Transaction ${ref.txnSeq} of '${ref.transactionalId}' was never begun (the next one is ${meta.txnSeq})`, {
      context: { transactionalId: ref.transactionalId },
    });
  }
  const wanted = request.commit ? 'COMMITTED' : 'ABORTED';
  if (meta.lastSeq === ref.txnSeq && meta.lastOutcome === wanted) return { committed: request.commit, nextTxnSeq: meta.txnSeq, partitions: request.commit ? (meta.lastRanges ?? []) : [] };
  throw ended(meta, ref);
}
