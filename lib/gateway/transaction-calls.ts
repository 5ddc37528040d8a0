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

/** The first versions of an API that know PRODUCER_FENCED (KIP-588) and TRANSACTION_ABORTABLE (KIP-890). */
export interface TxnErrorVersions {
  readonly fenced: number;
  readonly abortable: number;
}

/**
 * Kafka's code for a refusal at this version: before PRODUCER_FENCED existed
 * Kafka answered INVALID_PRODUCER_EPOCH; before TRANSACTION_ABORTABLE, a
 * transaction its coordinator aborted on timeout fenced its producer (Kafka
 * bumped the epoch), so the answer is the fencing one.
 */
export function txnErrorCode(err: unknown, version: number, since: TxnErrorVersions): number {
  const { code } = asKafkalessError(err);
  const fenced = version >= since.fenced ? codeOf('ProducerFenced') : codeOf('InvalidProducerEpoch');
  if (code === 'ProducerFenced') return fenced;
  if (code === 'TransactionAbortable') return version >= since.abortable ? codeOf('TransactionAbortable') : fenced;
  return codeOf(code);
}
