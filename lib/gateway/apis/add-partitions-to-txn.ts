/**
 * AddPartitionsToTxn (v0-v3): checks that every partition exists and opens
 * the transaction (Ongoing). As Kafka: if one partition is refused, nothing
 * is added and the others are answered OPERATION_NOT_ATTEMPTED. The broker
 * keeps no list of added partitions: a transaction holds the partitions it
 * staged records in, and a transactional Produce to a partition never added
 * is accepted (as with KIP-890's implicit add).
 */
import type { MetadataReply } from '../../protocol/log-replies.js';
import { API_KEYS, kafkaError } from '../../wire/index.js';
import type { ApiContext, ApiHandler } from '../api-handler.js';
import { asKafkalessError, sameTopic, settleEach } from '../settle-each.js';
import { openTransaction, ownerOf, txnErrorCode } from '../transaction-calls.js';
import { codeOf } from '../wire-answers.js';

const FENCED_SINCE = 2;
const OPERATION_NOT_ATTEMPTED = kafkaError('OPERATION_NOT_ATTEMPTED')!.code;

interface Topic {
  readonly name: string;
  readonly partitions: readonly number[];
}

export const addPartitionsToTxn: ApiHandler<typeof API_KEYS.AddPartitionsToTxn> = {
  apiKey: API_KEYS.AddPartitionsToTxn,
  minVersion: 0,
  maxVersion: 3,
  async handle(request, ctx) {
    const topics = request.v3AndBelowTopics;
    const codes = await partitionCodes(ctx, topics);
    let failed = codes.some((c) => c.some((code) => code !== 0));
    if (!failed) {
      try {
        await openTransaction(ctx, ownerOf(request.v3AndBelowTransactionalId, request.v3AndBelowProducerId, request.v3AndBelowProducerEpoch));
      } catch (err) {
        const code = txnErrorCode(err, ctx.version, FENCED_SINCE);
        codes.forEach((c) => c.fill(code));
        failed = true;
      }
    }
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      resultsByTransaction: [],
      resultsByTopicV3AndBelow: topics.map((t, i) => ({
        name: t.name,
        resultsByPartition: t.partitions.map((partitionIndex, k) => ({ partitionIndex, partitionErrorCode: codes[i]![k]! || (failed ? OPERATION_NOT_ATTEMPTED : 0) })),
      })),
    };
  },
};

/** Per topic, per partition: 0 when it exists, else its error code. */
async function partitionCodes(ctx: ApiContext, topics: readonly Topic[]): Promise<number[][]> {
  const settled = await settleEach(topics, (t, context) => sameTopic(t.name, context), async (batch) =>
    (await ctx.broker.call<MetadataReply>('produce', { action: 'metadata', topics: batch.map((t) => t.name) })).topics,
  );
  return topics.map((t, i) => {
    const s = settled[i]!;
    if (s.error !== undefined) return t.partitions.map(() => codeOf(asKafkalessError(s.error).code));
    return t.partitions.map((p) => (p >= 0 && p < s.result.partitions ? 0 : codeOf('UnknownTopicOrPartition')));
  });
}
