/**
 * initTransactions (Kafka's InitProducerId with a transactional id): the
 * first call creates the coordinator record with a new producer id; every
 * later call bumps the epoch, which fences every older instance (their next
 * request is ProducerFenced), and finishes what a previous instance left:
 * an ONGOING transaction is aborted, a prepared commit rolled forward, a
 * prepared abort rolled back. Answers the producer id, epoch and the number
 * of the next transaction.
 */
import { KafkalessError } from '../../errors.js';
import type { InitTransactionsRequest } from '../../protocol/txn-requests.js';
import type { InitTransactionsReply } from '../../protocol/txn-replies.js';
import type { TxnMeta } from '../../storage/txn-meta.js';
import type { TxnDeps } from './deps.js';
import { DEFAULT_TRANSACTION_TIMEOUT_MS, MAX_PRODUCER_EPOCH, MAX_TRANSACTION_TIMEOUT_MS } from './limits.js';
import { cleanUpCommitted, rollBack } from './roll-back.js';
import { rollForward } from './roll-forward.js';

const MAX_ROUNDS = 20;

export async function initTransactions(deps: TxnDeps, request: InitTransactionsRequest): Promise<InitTransactionsReply> {
  const timeoutMs = validateTimeout(request.transactionTimeoutMs);
  const id = request.transactionalId;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const meta = await deps.store.getMeta(id);
    const nowMs = deps.now();
    requireExpected(meta, request);
    if (meta === undefined) {
      const { producerId } = await deps.allocateProducerId();
      const created: TxnMeta = { transactionalId: id, producerId, producerEpoch: 0, state: 'EMPTY', txnSeq: 0, timeoutMs, updatedAtMs: nowMs, version: 1 };
      if (await deps.store.putMeta(created, undefined)) return replyOf(created);
      continue;
    }
    const owner = meta.producerEpoch >= MAX_PRODUCER_EPOCH ? { producerId: (await deps.allocateProducerId()).producerId, producerEpoch: 0 } : { producerId: meta.producerId, producerEpoch: meta.producerEpoch + 1 };
    // A new epoch starts clean: a timeout of the last transaction was the old epoch's (lastAbortReason).
    const { lastAbortReason: _timedOut, ...kept } = meta;
    const bumped: TxnMeta = {
      ...kept,
      ...owner,
      timeoutMs,
      ...(meta.state === 'ONGOING' ? { state: 'PREPARE_ABORT' as const, abortReason: 'fenced' as const } : {}),
      updatedAtMs: nowMs,
      version: meta.version + 1,
    };
    if (!(await deps.store.putMeta(bumped, meta.version))) continue;
    const settled = await settle(deps, bumped);
    return replyOf(settled ?? (await deps.store.getMeta(id)) ?? bumped);
  }
  throw new KafkalessError('ConcurrentTransactions', `Transactional id '${id}' kept changing during initTransactions; retry`, { context: { transactionalId: id } });
}

/** Finishes the transaction a previous instance left; returns the meta after (undefined: re-read it). */
async function settle(deps: TxnDeps, meta: TxnMeta): Promise<TxnMeta | undefined> {
  if (meta.state === 'PREPARE_ABORT') return rollBack(deps, meta);
  if (meta.state === 'PREPARE_COMMIT') return (await rollForward(deps, meta)).meta;
  await cleanUpCommitted(deps, meta.transactionalId, meta.txnSeq);
  return meta;
}

function replyOf(meta: TxnMeta): InitTransactionsReply {
  return { producerId: meta.producerId, producerEpoch: meta.producerEpoch, txnSeq: meta.txnSeq };
}

/**
 * KIP-360: a producer that names the id and epoch it had may bump its epoch
 * only while they still own the transactional id. A transactional id nobody
 * initialized yet is owned by no one, so (as in Kafka, where its new record
 * has no epoch) it is created whatever the caller names: a producer
 * recovering from UNKNOWN_PRODUCER_ID, or a client that always sends one.
 */
function requireExpected(meta: TxnMeta | undefined, request: InitTransactionsRequest): void {
  const expected = request.expectedProducer;
  if (expected === undefined || meta === undefined) return;
  if (meta.producerId !== expected.producerId || meta.producerEpoch !== expected.producerEpoch) {
    const owner = `producer ${meta.producerId} (epoch ${meta.producerEpoch})`;
    throw new KafkalessError(
      'ProducerFenced',
      `Producer ${expected.producerId} (epoch ${expected.producerEpoch}) no longer owns transactional id '${request.transactionalId}' (${owner} does); close this producer`,
      { context: { transactionalId: request.transactionalId } },
    );
  }
}

function validateTimeout(timeoutMs: number | undefined): number {
  const value = timeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS;
  if (value < 1 || value > MAX_TRANSACTION_TIMEOUT_MS) {
    throw new KafkalessError('InvalidTransactionTimeout', `transaction.timeout.ms ${value} is outside [1, ${MAX_TRANSACTION_TIMEOUT_MS}] ms (transaction.max.timeout.ms)`, {
      context: { field: 'transactionTimeoutMs' },
    });
  }
  return value;
}
