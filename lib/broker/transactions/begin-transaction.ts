/**
 * Opens a transaction before anything is staged in it (Kafka's
 * AddPartitionsToTxn and AddOffsetsToTxn): EMPTY becomes ONGOING, its
 * timeout starts, and its open marker is written, exactly as the first
 * staging would; an open transaction stays open. Fenced producers and
 * ended transactions are refused as staging refuses them.
 */
import type { BeginTransactionRequest } from '../../protocol/txn-requests.js';
import type { TxnDeps } from './deps.js';
import { stage } from './stage.js';

export async function beginTransaction(deps: TxnDeps, request: BeginTransactionRequest): Promise<{ readonly txnSeq: number }> {
  await stage(deps, { ref: request.transaction, items: [] });
  return { txnSeq: request.transaction.txnSeq };
}
