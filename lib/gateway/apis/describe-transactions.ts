/**
 * DescribeTransactions (v0): the broker's describeTransactions, answered per
 * transactional id (TRANSACTIONAL_ID_NOT_FOUND for one never initialized).
 * The partitions are those the open transaction staged records in.
 */
import type { TransactionDescription } from '../../protocol/txn-admin-replies.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { settleEach, type Settled } from '../settle-each.js';
import { byTopic, codeOf } from '../wire-answers.js';

const CHUNK = 100;

export const describeTransactions: ApiHandler<typeof API_KEYS.DescribeTransactions> = {
  apiKey: API_KEYS.DescribeTransactions,
  minVersion: 0,
  maxVersion: 0,
  async handle(request, ctx) {
    const ids = request.transactionalIds;
    const settled: Settled<TransactionDescription>[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      settled.push(
        ...(await settleEach(ids.slice(i, i + CHUNK), (id, context) => context.transactionalId === id, async (chunk) => {
          const { transactions } = await ctx.broker.call<{ transactions: TransactionDescription[] }>('produce', { action: 'describeTransactions', transactionalIds: [...new Set(chunk)] });
          const byId = new Map(transactions.map((d) => [d.transactionalId, d]));
          return chunk.map((id) => byId.get(id)!);
        })),
      );
    }
    return {
      throttleTimeMs: 0,
      transactionStates: ids.map((transactionalId, k) => {
        const s = settled[k]!;
        if (s.error !== undefined) {
          const code = s.error.code === 'InvalidRequest' && transactionalId === '' ? 'TransactionalIdNotFound' : s.error.code;
          return { errorCode: codeOf(code), transactionalId, transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: -1n, producerId: -1n, producerEpoch: -1, topics: [] };
        }
        const d = s.result;
        return {
          errorCode: 0,
          transactionalId,
          transactionState: d.state,
          transactionTimeoutMs: d.transactionTimeoutMs,
          transactionStartTimeMs: BigInt(d.transactionStartTimeMs),
          producerId: BigInt(d.producerId),
          producerEpoch: d.producerEpoch,
          topics: [...byTopic<{ topic: string; partition: number }>(d.topicPartitions)].map(([topic, parts]) => ({ topic, partitions: parts.map((p) => p.partition) })),
        };
      }),
    };
  },
};
