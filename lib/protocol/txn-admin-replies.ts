/** What the transaction administration actions answer (Kafka's fields, plain JSON). */
import type { TransactionStateName } from './txn-admin-requests.js';

/** One row of ListTransactions. */
export interface TransactionListing {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly state: TransactionStateName;
}

/** DescribeTransactions' answer for one transactional id. */
export interface TransactionDescription {
  readonly transactionalId: string;
  readonly state: TransactionStateName;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly transactionTimeoutMs: number;
  /** When the current transaction staged its first item; -1 when none is open. */
  readonly transactionStartTimeMs: number;
  /** The partitions the open transaction wrote to, sorted (Kafka's topicPartitions). */
  readonly topicPartitions: readonly { readonly topic: string; readonly partition: number }[];
  /** The consumer groups the open transaction commits offsets for. */
  readonly groupIds: readonly string[];
}

/** DescribeProducers' ProducerState. */
export interface ProducerStateDescription {
  readonly producerId: number;
  readonly producerEpoch: number;
  /** The last sequence number appended (or staged, for a transaction still open). */
  readonly lastSequence: number;
  /** When its last batch was appended (or staged), ms since the epoch. */
  readonly lastTimestamp: number;
  /** The first offset of its open transaction in the log: -1, since an open transaction's records are staged, not in the log. */
  readonly currentTransactionStartOffset: number;
  /** The transactional id whose open transaction staged batches here, if any. */
  readonly transactionalId?: string;
}

export interface PartitionProducers {
  readonly topic: string;
  readonly partition: number;
  readonly activeProducers: readonly ProducerStateDescription[];
}

export interface TxnAdminReplies {
  listTransactions: { readonly transactions: readonly TransactionListing[] };
  describeTransactions: { readonly transactions: readonly TransactionDescription[] };
  describeProducers: { readonly partitions: readonly PartitionProducers[] };
}
