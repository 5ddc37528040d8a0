/**
 * TxnOffsetCommit: stages the consumer's offsets in the producer's current
 * transaction (the broker's sendOffsets); they become the group's committed
 * offsets only when the transaction commits. v3+ carries the consumer's
 * member id and generation (KIP-447), checked now and again at commit.
 * The broker stages a request's offsets together: an error that names one
 * partition answers it and the others are staged; any other error answers
 * every partition.
 */
import { KafkalessError } from '../../errors.js';
import type { TxnOffsetsReply } from '../../protocol/txn-replies.js';
import { API_KEYS, type TxnOffsetCommitRequest } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { samePartition, settleChecked } from '../settle-each.js';
import { ownerOf, txnErrorCode, workingTransaction } from '../transaction-calls.js';
import { byTopic, codeOf, safeNumber } from '../wire-answers.js';

/** Kafka's group coordinator answers a fenced transactional producer INVALID_PRODUCER_EPOCH at every version. */
const FENCED_SINCE = Number.POSITIVE_INFINITY;

interface Entry {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly metadata: string | null;
}

export const txnOffsetCommit: ApiHandler<typeof API_KEYS.TxnOffsetCommit> = {
  apiKey: API_KEYS.TxnOffsetCommit,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    const entries: Entry[] = request.topics.flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.committedMetadata })),
    );
    const settled = await settleChecked(entries, refusal, samePartition, async (batch) => {
      const { ref } = await workingTransaction(ctx, ownerOf(request.transactionalId, request.producerId, request.producerEpoch));
      await ctx.broker.call<TxnOffsetsReply>('produce', {
        action: 'sendOffsets',
        transaction: ref,
        groupId: request.groupId,
        ...member(request, ctx.version),
        offsets: batch.map((e) => ({ topic: e.topic, partition: e.partition, offset: Number(e.offset), metadata: e.metadata ?? '' })),
      });
      return batch.map(() => true);
    });
    const answers = entries.map((e, k) => ({ ...e, settled: settled[k]! }));
    return {
      throttleTimeMs: 0,
      topics: [...byTopic(answers)].map(([name, parts]) => ({
        name,
        partitions: parts.map((p) => ({ partitionIndex: p.partition, errorCode: p.settled.error === undefined ? 0 : answerCode(p.settled.error, ctx.version) })),
      })),
    };
  },
};

/** The broker's member epochs are the classic protocol's generations: a stale or fenced one is ILLEGAL_GENERATION at these versions. */
function answerCode(error: KafkalessError, version: number): number {
  if (error.code === 'FencedMemberEpoch' || error.code === 'StaleMemberEpoch') return codeOf('IllegalGeneration');
  return txnErrorCode(error, version, FENCED_SINCE);
}

function refusal(e: Entry): KafkalessError | undefined {
  if (e.partition < 0) return new KafkalessError('UnknownTopicOrPartition', `Partition ${e.partition} of '${e.topic}' does not exist.`);
  const offset = safeNumber(e.offset);
  if (offset === undefined || offset < 0) return new KafkalessError('InvalidRequest', `Offset ${e.offset} for partition ${e.partition} of '${e.topic}' must be 0 or more`);
  return undefined;
}

/** The consumer's member id and generation (v3+; none when the member id is empty or the generation -1). */
function member(request: TxnOffsetCommitRequest, version: number): { memberId?: string; memberEpoch?: number } {
  if (version < 3 || request.memberId === '' || request.generationId < 0) return {};
  return { memberId: request.memberId, memberEpoch: request.generationId };
}
