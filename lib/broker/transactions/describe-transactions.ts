/**
 * ListTransactions and DescribeTransactions, from the coordinator records
 * (one meta per transactional id) and the open transaction's staged items.
 * States are Kafka's: a finished transaction shows how it ended
 * (CompleteCommit, CompleteAbort) until the next one starts.
 */
import { KafkalessError } from '../../errors.js';
import { topicPartitionKey } from '../../protocol/topic-partition-key.js';
import type { TransactionDescription, TransactionListing } from '../../protocol/txn-admin-replies.js';
import type { DescribeTransactionsRequest, ListTransactionsRequest, TransactionStateName } from '../../protocol/txn-admin-requests.js';
import type { TxnMeta } from '../../storage/txn-meta.js';
import type { StagedItem } from '../../storage/txn-staged.js';
import type { TxnDeps } from './deps.js';

export function transactionState(meta: TxnMeta): TransactionStateName {
  switch (meta.state) {
    case 'ONGOING':
      return 'Ongoing';
    case 'PREPARE_COMMIT':
      return 'PrepareCommit';
    case 'PREPARE_ABORT':
      return 'PrepareAbort';
    case 'EMPTY':
      return meta.lastOutcome === 'COMMITTED' ? 'CompleteCommit' : meta.lastOutcome === 'ABORTED' ? 'CompleteAbort' : 'Empty';
  }
}

export async function listTransactions(deps: TxnDeps, request: ListTransactionsRequest): Promise<{ transactions: TransactionListing[] }> {
  const states = new Set(request.states ?? []);
  const producerIds = new Set(request.producerIds ?? []);
  const transactions = (await deps.listing.metas())
    .map((m) => ({ transactionalId: m.transactionalId, producerId: m.producerId, state: transactionState(m) }))
    .filter((t) => (states.size === 0 || states.has(t.state)) && (producerIds.size === 0 || producerIds.has(t.producerId)));
  return { transactions };
}

export async function describeTransactions(deps: TxnDeps, request: DescribeTransactionsRequest): Promise<{ transactions: TransactionDescription[] }> {
  const ids = [...new Set(request.transactionalIds)];
  const metas: TxnMeta[] = [];
  for (const id of ids) {
    const meta = await deps.store.getMeta(id);
    if (meta === undefined) {
      throw new KafkalessError('TransactionalIdNotFound', `Transactional id '${id}' does not exist (no producer ever called initTransactions with it)`, {
        context: { transactionalId: id },
      });
    }
    metas.push(meta);
  }
  const transactions: TransactionDescription[] = [];
  for (const meta of metas) {
    const staged = meta.state === 'EMPTY' ? [] : (await deps.store.staged(meta.transactionalId, meta.txnSeq)).map((r) => r.staged);
    transactions.push(describe(meta, staged));
  }
  return { transactions };
}

function describe(meta: TxnMeta, staged: readonly StagedItem[]): TransactionDescription {
  const partitions = new Map<string, { topic: string; partition: number }>();
  const groups = new Set<string>();
  for (const s of staged) {
    if (s.kind === 'batch') partitions.set(topicPartitionKey(s.topic, s.partition), { topic: s.topic, partition: s.partition });
    else groups.add(s.groupId);
  }
  return {
    transactionalId: meta.transactionalId,
    state: transactionState(meta),
    producerId: meta.producerId,
    producerEpoch: meta.producerEpoch,
    transactionTimeoutMs: meta.timeoutMs,
    transactionStartTimeMs: meta.state === 'EMPTY' ? -1 : (meta.startedAtMs ?? -1),
    topicPartitions: [...partitions.values()].sort((a, b) => (a.topic !== b.topic ? (a.topic < b.topic ? -1 : 1) : a.partition - b.partition)),
    groupIds: [...groups].sort(),
  };
}
