/**
 * Transaction administration, served by the produce function: Kafka's
 * ListTransactions, DescribeTransactions and DescribeProducers. Shapes
 * only; the broker checks that the ids and partitions exist.
 */
import { z } from 'zod';
import { transactionalId } from './txn-requests.js';

/** Kafka's transaction states, as its tools print them. */
export const TRANSACTION_STATES = ['Empty', 'Ongoing', 'PrepareCommit', 'PrepareAbort', 'CompleteCommit', 'CompleteAbort'] as const;
export type TransactionStateName = (typeof TRANSACTION_STATES)[number];

export const listTransactionsRequest = z
  .object({
    action: z.literal('listTransactions'),
    /** Only transactions in these states (all when absent or empty). */
    states: z.array(z.enum(TRANSACTION_STATES)).max(TRANSACTION_STATES.length).optional(),
    /** Only transactions of these producer ids (all when absent or empty). */
    producerIds: z.array(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)).max(1000).optional(),
  })
  .strict();

export const describeTransactionsRequest = z
  .object({ action: z.literal('describeTransactions'), transactionalIds: z.array(transactionalId).min(1).max(100) })
  .strict();

export const describeProducersRequest = z
  .object({
    action: z.literal('describeProducers'),
    partitions: z
      .array(z.object({ topic: z.string().max(1000), partition: z.number().int().min(0).max(1_000_000) }).strict())
      .min(1)
      .max(1000),
  })
  .strict();

export type ListTransactionsRequest = z.infer<typeof listTransactionsRequest>;
export type DescribeTransactionsRequest = z.infer<typeof describeTransactionsRequest>;
export type DescribeProducersRequest = z.infer<typeof describeProducersRequest>;
