/**
 * Transactions' requests, served by the produce function: Kafka's
 * InitProducerId (with a transactional id), the transaction reference a
 * transactional produce carries, TxnOffsetCommit and EndTxn. Shapes only;
 * the broker checks meaning (epochs, states) and answers with Kafka's error
 * names.
 */
import { z } from 'zod';
import { MAX_NAME_CHARS, MAX_OFFSET_METADATA_LENGTH, MAX_TXN_OFFSETS } from '../limits.js';

const topicName = z.string().max(MAX_NAME_CHARS);
const partition = z.number().int().min(0).max(1_000_000);
const offset = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Kafka's limit on a transactional id is the string's; ours keeps item keys small. */
export const MAX_TRANSACTIONAL_ID_LENGTH = 255;

export const transactionalId = z.string().min(1).max(MAX_TRANSACTIONAL_ID_LENGTH);

/** What every request inside a transaction names: who sends it and which transaction it belongs to. */
export const transactionRef = z
  .object({
    transactionalId,
    producerId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    producerEpoch: z.number().int().min(0).max(32_767),
    /** The transaction's number for this transactional id, as the last init or end answered. */
    txnSeq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  })
  .strict();
export type TransactionRef = z.infer<typeof transactionRef>;

export const initTransactionsRequest = z
  .object({
    action: z.literal('initTransactions'),
    transactionalId,
    /** transaction.timeout.ms; checked by the broker (InvalidTransactionTimeout). */
    transactionTimeoutMs: z.number().int().optional(),
    /**
     * The producer id and epoch the caller last had (Kafka's InitProducerId v3+, KIP-360): the epoch is
     * bumped only if they still own the id; otherwise ProducerFenced and nothing changes.
     */
    expectedProducer: z.object({ producerId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), producerEpoch: z.number().int().min(0).max(32_767) }).strict().optional(),
  })
  .strict();

/** Read only: the transaction a producer that owns the id works in now (ProducerFenced etc. when it does not own it). */
export const currentTransactionRequest = z
  .object({
    action: z.literal('currentTransaction'),
    transactionalId,
    producerId: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    producerEpoch: z.number().int().min(0).max(32_767),
  })
  .strict();

/** Opens the transaction `transaction` names (EMPTY becomes ONGOING) without staging anything: Kafka's AddPartitionsToTxn / AddOffsetsToTxn. */
export const beginTransactionRequest = z.object({ action: z.literal('beginTransaction'), transaction: transactionRef }).strict();

export const txnOffsetsRequest = z
  .object({
    action: z.literal('sendOffsets'),
    transaction: transactionRef,
    groupId: z.string().max(MAX_NAME_CHARS),
    /** The consumer's member id and epoch (KIP-447): the commit is refused if the member was fenced meanwhile. */
    memberId: z.string().min(1).max(200).optional(),
    memberEpoch: z.number().int().min(0).max(2_147_483_647).optional(),
    offsets: z
      .array(z.object({ topic: topicName, partition, offset, metadata: z.string().max(MAX_OFFSET_METADATA_LENGTH).optional() }).strict())
      .min(1)
      .max(MAX_TXN_OFFSETS),
  })
  .strict();

export const endTxnRequest = z
  .object({
    action: z.literal('endTransaction'),
    transaction: transactionRef,
    /** true: commit; false: abort. */
    commit: z.boolean(),
  })
  .strict();

export type InitTransactionsRequest = z.infer<typeof initTransactionsRequest>;
export type TxnOffsetsRequest = z.infer<typeof txnOffsetsRequest>;
export type EndTxnRequest = z.infer<typeof endTxnRequest>;
export type CurrentTransactionRequest = z.infer<typeof currentTransactionRequest>;
export type BeginTransactionRequest = z.infer<typeof beginTransactionRequest>;
