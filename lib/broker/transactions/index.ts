/**
 * Transactions (Kafka's transactional producer, exactly-once): served by the
 * produce function. See docs/ARCHITECTURE.md, "Transactions".
 */
export { createTxnDeps, type TxnDeps } from './deps.js';
export { describeProducers } from './describe-producers.js';
export { describeTransactions, listTransactions } from './describe-transactions.js';
export { endTransaction } from './end-transaction.js';
export { initTransactions } from './init-transactions.js';
export { recoverTransactions, type RecoverySummary } from './recover.js';
export { sendOffsets } from './send-offsets.js';
export { stageBatches } from './stage-batches.js';
export * from './limits.js';
