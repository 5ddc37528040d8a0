/**
 * The produce function's transaction coordinator job: a transactional
 * producer's session (initTransactions), the batches it stages, and the
 * commit or abort (endTransaction), and what the transaction tools ask of
 * it (list and describe transactions, describe a partition's producers). It shares its dependencies with the
 * offset writes of the same transactions.
 */
import type { ProduceReply } from '../../protocol/log-replies.js';
import type { ProduceRequest } from '../../protocol/log-requests.js';
import type { BeginTransactionRequest, CurrentTransactionRequest, EndTxnRequest, InitTransactionsRequest, TransactionRef } from '../../protocol/txn-requests.js';
import type { CurrentTransactionReply, EndTxnReply, InitTransactionsReply } from '../../protocol/txn-replies.js';
import type { TxnDeps } from './deps.js';
import type { PartitionProducers, TransactionDescription, TransactionListing } from '../../protocol/txn-admin-replies.js';
import type { DescribeProducersRequest, DescribeTransactionsRequest, ListTransactionsRequest } from '../../protocol/txn-admin-requests.js';
import { beginTransaction } from './begin-transaction.js';
import { currentTransaction } from './current-transaction.js';
import { describeProducers } from './describe-producers.js';
import { describeTransactions, listTransactions } from './describe-transactions.js';
import { endTransaction } from './end-transaction.js';
import { initTransactions } from './init-transactions.js';
import { stageBatches } from './stage-batches.js';

export interface TransactionCoordinator {
  readonly initTransactions: (request: InitTransactionsRequest) => Promise<InitTransactionsReply>;
  readonly stageBatches: (request: ProduceRequest, ref: TransactionRef) => Promise<ProduceReply>;
  readonly endTransaction: (request: EndTxnRequest) => Promise<EndTxnReply>;
  readonly currentTransaction: (request: CurrentTransactionRequest) => Promise<CurrentTransactionReply>;
  readonly beginTransaction: (request: BeginTransactionRequest) => Promise<{ readonly txnSeq: number }>;
  readonly listTransactions: (request: ListTransactionsRequest) => Promise<{ transactions: TransactionListing[] }>;
  readonly describeTransactions: (request: DescribeTransactionsRequest) => Promise<{ transactions: TransactionDescription[] }>;
  readonly describeProducers: (request: DescribeProducersRequest) => Promise<{ partitions: PartitionProducers[] }>;
}

export function createTransactionCoordinator(deps: () => TxnDeps): TransactionCoordinator {
  return {
    initTransactions: (request) => initTransactions(deps(), request),
    stageBatches: (request, ref) => stageBatches(deps(), request, ref),
    endTransaction: (request) => endTransaction(deps(), request),
    currentTransaction: (request) => currentTransaction(deps(), request),
    beginTransaction: (request) => beginTransaction(deps(), request),
    listTransactions: (request) => listTransactions(deps(), request),
    describeTransactions: (request) => describeTransactions(deps(), request),
    describeProducers: (request) => describeProducers(deps(), request),
  };
}
