/**
 * Transaction administration in Java Admin's shapes: listTransactions,
 * describeTransactions, describeProducers (served by the produce function).
 */
import type { PartitionProducers, TransactionDescription, TransactionListing, TxnAdminReplies } from '../protocol/txn-admin-replies.js';
import type { TransactionStateName } from '../protocol/txn-admin-requests.js';
import { call, type Transport } from './transport.js';

export class TransactionAdmin {
  constructor(private readonly transport: Transport) {}

  /** Every transactional id with its producer id and state; filtered by states and producer ids when given. */
  async listTransactions(options: { states?: readonly TransactionStateName[]; producerIds?: readonly number[] } = {}): Promise<TransactionListing[]> {
    const reply = await call<TxnAdminReplies['listTransactions']>(this.transport, 'produce', { action: 'listTransactions', ...options });
    return [...reply.transactions];
  }

  /** State, producer id and epoch, timeout, start time and partitions of each id's current transaction; TransactionalIdNotFound for an unknown id. */
  async describeTransactions(transactionalIds: readonly string[]): Promise<TransactionDescription[]> {
    const reply = await call<TxnAdminReplies['describeTransactions']>(this.transport, 'produce', { action: 'describeTransactions', transactionalIds });
    return [...reply.transactions];
  }

  /** The active producers of each partition: producer id, epoch, last sequence, last timestamp. */
  async describeProducers(partitions: readonly { topic: string; partition: number }[]): Promise<PartitionProducers[]> {
    const reply = await call<TxnAdminReplies['describeProducers']>(this.transport, 'produce', { action: 'describeProducers', partitions });
    return [...reply.partitions];
  }
}
