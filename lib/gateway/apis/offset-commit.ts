/**
 * OffsetCommit v2-9 onto the group function's `commitOffsets`, with the
 * request's generation (classic group) or member epoch (consumer group) and
 * member id; the broker tells the two apart by the group's type. An error
 * of the group (unknown member, illegal generation, rebalance) answers every
 * partition; an error of one partition answers that one and the rest are
 * committed. RetentionTimeMs (v2-4) is not used: offsets are kept until
 * deleted.
 */
import { KafkalessError } from '../../errors.js';
import type { CommitOffsetsReply, CommitResult } from '../../protocol/group-replies.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { asKafkalessError, samePartition, settleChecked, type Settled } from '../settle-each.js';
import { byTopic, safeNumber } from '../wire-answers.js';
import { groupErrorCode } from './classic-wait.js';

interface Entry {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number | undefined;
  readonly metadata: string | null;
  readonly leaderEpoch: number;
}

export const offsetCommit: ApiHandler<typeof API_KEYS.OffsetCommit> = {
  apiKey: API_KEYS.OffsetCommit,
  minVersion: 2,
  maxVersion: 9,
  async handle(request, ctx) {
    const entries: Entry[] = request.topics.flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: safeNumber(p.committedOffset), metadata: p.committedMetadata, leaderEpoch: p.committedLeaderEpoch })),
    );
    const base = {
      action: 'commitOffsets',
      groupId: request.groupId,
      ...(request.memberId !== '' ? { memberId: request.memberId } : {}),
      generationIdOrMemberEpoch: Math.max(-1, request.generationIdOrMemberEpoch),
      ...(ctx.version >= 7 && request.groupInstanceId !== null && request.groupInstanceId !== '' ? { instanceId: request.groupInstanceId } : {}),
    };
    const run = async (batch: readonly Entry[]): Promise<readonly CommitResult[]> => {
      const offsets = batch.map((e) => ({
        topic: e.topic,
        partition: e.partition,
        offset: e.offset!,
        ...(e.metadata !== null ? { metadata: e.metadata } : {}),
        ...(e.leaderEpoch >= 0 ? { leaderEpoch: e.leaderEpoch } : {}),
      }));
      return (await ctx.broker.call<CommitOffsetsReply>('group', { ...base, offsets })).offsets;
    };
    let settled: Settled<CommitResult>[];
    try {
      // One call for the whole request; only an error naming a partition is worth settling partition by partition.
      const accepted = entries.filter((e) => refusal(e) === undefined);
      const results = accepted.length > 0 ? await run(accepted) : [];
      let next = 0;
      settled = entries.map((e) => {
        const refused = refusal(e);
        return refused !== undefined ? { error: refused } : { result: results[next++]! };
      });
    } catch (err) {
      const error = asKafkalessError(err);
      settled =
        error.context.topic === undefined || entries.length === 1
          ? entries.map(() => ({ error }))
          : await settleChecked(entries, refusal, samePartition, run);
    }
    return {
      throttleTimeMs: 0,
      topics: [...byTopic(entries.map((e, k) => ({ ...e, settled: settled[k]! })))].map(([name, parts]) => ({
        name,
        partitions: parts.map((p) => ({ partitionIndex: p.partition, errorCode: p.settled.error === undefined ? 0 : groupErrorCode(p.settled.error) })),
      })),
    };
  },
};

function refusal(e: Entry): KafkalessError | undefined {
  if (e.partition < 0) return new KafkalessError('UnknownTopicOrPartition', `Partition ${e.partition} of '${e.topic}' does not exist.`);
  if (e.offset === undefined || e.offset < 0) return new KafkalessError('InvalidCommitOffsetSize', `The offset to commit for partition ${e.partition} of '${e.topic}' must be 0 or more`);
  return undefined;
}

