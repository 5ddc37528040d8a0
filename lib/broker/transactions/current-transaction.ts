/**
 * Which transaction a producer works in now, read from its coordinator
 * record (read only). A protocol that names a transaction by producer id
 * and epoch alone (Kafka's) maps them onto the transaction's number with
 * this; the owner check is fencing's, so a fenced producer learns it here.
 */
import type { CurrentTransactionRequest } from '../../protocol/txn-requests.js';
import type { CurrentTransactionReply } from '../../protocol/txn-replies.js';
import type { TxnDeps } from './deps.js';
import { requireOwner } from './fencing.js';

export async function currentTransaction(deps: TxnDeps, request: CurrentTransactionRequest): Promise<CurrentTransactionReply> {
  const { transactionalId, producerId, producerEpoch } = request;
  const meta = requireOwner(await deps.store.getMeta(transactionalId), { transactionalId, producerId, producerEpoch, txnSeq: 0 });
  return {
    producerId: meta.producerId,
    producerEpoch: meta.producerEpoch,
    state: meta.state,
    txnSeq: meta.txnSeq,
    ...(meta.lastSeq !== undefined ? { lastSeq: meta.lastSeq } : {}),
    ...(meta.lastOutcome !== undefined ? { lastOutcome: meta.lastOutcome } : {}),
    ...(meta.lastAbortReason !== undefined ? { lastAbortReason: meta.lastAbortReason } : {}),
  };
}
