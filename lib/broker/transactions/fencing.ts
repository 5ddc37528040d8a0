/**
 * Whether a request made inside a transaction may proceed, judged against
 * the coordinator's meta: the producer must still own the transactional id
 * (same producer id and epoch: a newer instance fences older ones) and name
 * the transaction that is open. The typed error says why not.
 */
import { KafkalessError } from '../../errors.js';
import type { TransactionRef } from '../../protocol/txn-requests.js';
import type { TxnMeta } from '../../storage/txn-meta.js';

export function requireOwner(meta: TxnMeta | undefined, ref: TransactionRef): TxnMeta {
  const context = { transactionalId: ref.transactionalId };
  if (meta === undefined) {
    throw new KafkalessError('InvalidProducerIdMapping', `Transactional id '${ref.transactionalId}' has no producer; call initTransactions first`, { context });
  }
  if (meta.producerId !== ref.producerId || meta.producerEpoch > ref.producerEpoch) {
    throw new KafkalessError(
      'ProducerFenced',
      `Producer ${ref.producerId} (epoch ${ref.producerEpoch}) is fenced: a newer instance of transactional id '${ref.transactionalId}' took over (producer ${meta.producerId}, epoch ${meta.producerEpoch}). Close this producer.`,
      { context },
    );
  }
  if (meta.producerEpoch < ref.producerEpoch) {
    throw new KafkalessError('InvalidProducerEpoch', `Epoch ${ref.producerEpoch} is ahead of transactional id '${ref.transactionalId}' (epoch ${meta.producerEpoch})`, { context });
  }
  return meta;
}

/** The transaction `ref` names is the open one (or the next one, not yet started), and takes new work. */
export function requireOpen(meta: TxnMeta | undefined, ref: TransactionRef): TxnMeta {
  const owned = requireOwner(meta, ref);
  if (ref.txnSeq < owned.txnSeq) throw ended(owned, ref);
  if (ref.txnSeq > owned.txnSeq) {
    throw new KafkalessError('InvalidTxnState', `Transaction ${ref.txnSeq} of '${ref.transactionalId}' was never begun (the next one is ${owned.txnSeq})`, {
      context: { transactionalId: ref.transactionalId },
    });
  }
  if (owned.state === 'PREPARE_COMMIT' || owned.state === 'PREPARE_ABORT') {
    const doing = owned.state === 'PREPARE_COMMIT' ? 'committing' : 'aborting';
    throw new KafkalessError('InvalidTxnState', `Transaction ${ref.txnSeq} of '${ref.transactionalId}' is ${doing}; it takes no more records or offsets`, {
      context: { transactionalId: ref.transactionalId },
    });
  }
  return owned;
}

/** The error for work sent to a transaction that already ended. */
export function ended(meta: TxnMeta, ref: TransactionRef): KafkalessError {
  const context = { transactionalId: ref.transactionalId };
  if (meta.lastSeq === ref.txnSeq && meta.lastOutcome === 'ABORTED' && meta.lastAbortReason === 'timeout') {
    return new KafkalessError(
      'TransactionAbortable',
      `Transaction ${ref.txnSeq} of '${ref.transactionalId}' outlived transaction.timeout.ms (${meta.timeoutMs} ms) and was aborted; abort it and start again`,
      { context },
    );
  }
  const how = meta.lastSeq === ref.txnSeq && meta.lastOutcome !== undefined ? ` (${meta.lastOutcome.toLowerCase()})` : '';
  return new KafkalessError('InvalidTxnState', `Transaction ${ref.txnSeq} of '${ref.transactionalId}' has already ended${how}; begin a new one`, { context });
}
