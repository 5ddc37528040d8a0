/**
 * The produce and fetch functions' requests. Record batches travel as
 * base64 of Kafka's RecordBatch v2 bytes, exactly as a Kafka producer would
 * send them and a Kafka consumer would read them.
 */
import { z } from 'zod';
import { describeProducersRequest, describeTransactionsRequest, listTransactionsRequest } from './txn-admin-requests.js';
import { beginTransactionRequest, currentTransactionRequest, endTxnRequest, initTransactionsRequest, transactionRef, txnOffsetsRequest } from './txn-requests.js';
import { MAX_FETCH_BYTES, MAX_FETCH_PARTITIONS, MAX_FETCH_WAIT_MS, MAX_LIST_OFFSETS_PARTITIONS, MAX_NAME_CHARS, MAX_PRODUCE_PARTITIONS, MAX_TOPICS_PER_LOOKUP } from '../limits.js';

const topicName = z.string().max(MAX_NAME_CHARS);
const partition = z.number().int().min(0).max(1_000_000);
const offset = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');


export const produceRequest = z
  .object({
    action: z.literal('produce'),
    /** -1 (all), 1, or 0; all three wait for the commit inside the function (see docs). */
    acks: z.union([z.literal(-1), z.literal(0), z.literal(1)]).optional(),
    entries: z
      .array(z.object({ topic: topicName, partition, batch: base64.min(1) }).strict())
      .min(1)
      .max(MAX_PRODUCE_PARTITIONS),
    /** Present inside a transaction: the batches are staged, invisible until the transaction commits. */
    transaction: transactionRef.optional(),
  })
  .strict();

export const initProducerIdRequest = z.object({ action: z.literal('initProducerId') }).strict();

/** Partition counts of the named topics; served by the produce and fetch functions alike. */
export const metadataRequest = z.object({ action: z.literal('metadata'), topics: z.array(topicName).min(1).max(MAX_TOPICS_PER_LOOKUP) }).strict();
export type MetadataRequest = z.infer<typeof metadataRequest>;

export const produceFunctionRequest = z.discriminatedUnion('action', [
  produceRequest,
  initProducerIdRequest,
  metadataRequest,
  initTransactionsRequest,
  txnOffsetsRequest,
  endTxnRequest,
  currentTransactionRequest,
  beginTransactionRequest,
  listTransactionsRequest,
  describeTransactionsRequest,
  describeProducersRequest,
]);
export type ProduceRequest = z.infer<typeof produceRequest>;
export type ProduceFunctionRequest = z.infer<typeof produceFunctionRequest>;


export const fetchRequest = z
  .object({
    action: z.literal('fetch'),
    partitions: z
      .array(
        z
          .object({ topic: topicName, partition, offset, maxBytes: z.number().int().min(1).max(MAX_FETCH_BYTES).optional() })
          .strict(),
      )
      .min(1)
      .max(MAX_FETCH_PARTITIONS),
    maxBytes: z.number().int().min(1).max(MAX_FETCH_BYTES).optional(),
    maxWaitMs: z.number().int().min(0).max(MAX_FETCH_WAIT_MS).optional(),
    minBytes: z.number().int().min(0).max(MAX_FETCH_BYTES).optional(),
  })
  .strict();

export { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from './offset-timestamps.js';

export const listOffsetsRequest = z
  .object({
    action: z.literal('listOffsets'),
    partitions: z
      .array(z.object({ topic: topicName, partition, timestamp: z.number().int().min(-2).max(Number.MAX_SAFE_INTEGER) }).strict())
      .min(1)
      .max(MAX_LIST_OFFSETS_PARTITIONS),
  })
  .strict();

export const fetchFunctionRequest = z.discriminatedUnion('action', [fetchRequest, listOffsetsRequest, metadataRequest]);
export type FetchRequest = z.infer<typeof fetchRequest>;
export type ListOffsetsRequest = z.infer<typeof listOffsetsRequest>;
export type FetchFunctionRequest = z.infer<typeof fetchFunctionRequest>;
