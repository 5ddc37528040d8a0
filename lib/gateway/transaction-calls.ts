/**
 * What the transaction APIs share. Kafka names a transaction by its
 * transactional id, producer id and epoch alone; the broker by its number
 * too (txnSeq). The number is read from the broker's coordinator record on
 * every request (never remembered here), so whichever gateway a request
 * reaches, it lands in the transaction the record says is current, and a
 * transaction that ended meanwhile refuses it (staging is conditional on
 * the number).
 */
import { KafkalessError } from '../errors.js';
import { MAX_TRANSACTIONAL_ID_LENGTH, type TransactionRef } from '../protocol/txn-requests.js';
import type { CurrentTransactionReply } from '../protocol/txn-replies.js';
import type { ApiContext } from './api-handler.js';
import { asKafkalessError } from './settle-each.js';
import { codeOf, safeNumber } from './wire-answers.js';

/** The producer a transactional request comes from. */
export interface TxnOwner {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
}

/** The owner the wire fields name; a typed refusal when they cannot name one. */
export function ownerOf(transactionalId: string, producerId: bigint, producerEpoch: number): TxnOwner {
  if (transactionalId === '' || transactionalId.length > MAX_TRANSACTIONAL_ID_LENGTH) {
    throw new KafkalessError('InvalidRequest', `A transactional id must have 1 to ${MAX_TRANSACTIONAL_ID_LENGTH} characters (got ${transactionalId.length})`);
  }
  const id = safeNumber(producerId);
  if (id === undefined || id < 0) {
    throw new KafkalessError('InvalidProducerIdMapping', `Producer id ${producerId} is not one this cluster gave out; call InitProducerId with transactional id '${transactionalId}'`);
  }
  if (producerEpoch < 0) throw new KafkalessError('InvalidProducerEpoch', `Producer epoch ${producerEpoch} is negative`);
  return { transactionalId, producerId: id, producerEpoch };
}

/** The transaction the owner works in now; ProducerFenced, InvalidProducerEpoch or InvalidProducerIdMapping when it does not own the id. */
export function currentTransaction(ctx: ApiContext, owner: TxnOwner): Promise<CurrentTransactionReply> {
  return ctx.broker.call<CurrentTransactionReply>('produce', { action: 'currentTransaction', ...owner });
}

/** The reference of the transaction the owner's next work goes into; CONCURRENT_TRANSACTIONS while the last one is still ending. */
export async function workingTransaction(ctx: ApiContext, owner: TxnOwner): Promise<{ ref: TransactionRef; current: CurrentTransactionReply }> {
  const current = await currentTransaction(ctx, owner);
  requireNotTimedOut(current, owner);
  if (current.state === 'PREPARE_COMMIT' || current.state === 'PREPARE_ABORT') {
    throw new KafkalessError('ConcurrentTransactions', `Transaction ${current.txnSeq} of '${owner.transactionalId}' is still ending; retry`, {
      context: { transactionalId: owner.transactionalId },
    });
  }
  return { ref: { ...owner, txnSeq: current.txnSeq }, current };
}

/** As `workingTransaction`, and opens it (Kafka's AddPartitionsToTxn and AddOffsetsToTxn make a transaction Ongoing). */
export async function openTransaction(ctx: ApiContext, owner: TxnOwner): Promise<TransactionRef> {
  const { ref, current } = await workingTransaction(ctx, owner);
  if (current.state === 'EMPTY') await ctx.broker.call('produce', { action: 'beginTransaction', transaction: ref });
  return ref;
}

/**
 * Kafka's code for a refusal at this version: PRODUCER_FENCED from the
 * version that knows it (KIP-588), INVALID_PRODUCER_EPOCH before. A
 * transaction aborted on timeout fences its producer too: Kafka's
 * coordinator (before KIP-890's epoch per transaction, which is not served)
 * bumps the epoch when it aborts one, so the producer must initialize again.
 */
export function txnErrorCode(err: unknown, version: number, fencedSince: number): number {
  const { code } = asKafkalessError(err);
  if (code === 'ProducerFenced' || code === 'TransactionAbortable') return version >= fencedSince ? codeOf('ProducerFenced') : codeOf('InvalidProducerEpoch');
  return codeOf(code);
}

/** The last transaction was aborted on timeout and nothing began since: Kafka would have fenced this epoch. */
export function requireNotTimedOut(current: CurrentTransactionReply, owner: TxnOwner): void {
  if (current.state === 'EMPTY' && current.lastOutcome === 'ABORTED' && current.lastAbortReason === 'timeout' && current.lastSeq === current.txnSeq - 1) {
    throw new KafkalessError(
      'TransactionAbortable',
      `The transaction of '${owner.transactionalId}' outlived transaction.timeout.ms and was aborted; initialize the producer again (InitProducerId)`,
      { context: { transactionalId: owner.transactionalId } },
    );
  }
}
