/**
 * OffsetCommit from a classic member, as Kafka checks it: the member must be
 * in the group (UNKNOWN_MEMBER_ID), at the group's generation
 * (ILLEGAL_GENERATION), and the group not waiting for its leader's
 * assignments (REBALANCE_IN_PROGRESS). A commit during the join phase with
 * the current generation is allowed (consumers commit before they rejoin).
 * The offsets are written under a condition on the group's generation and
 * state and on the member, so a rebalance that completes meanwhile stops it.
 */
import type { CommitOffsetsReply } from '../../protocol/group-replies.js';
import type { CommitOffsetsRequest } from '../../protocol/group-requests.js';
import { retry } from '../../retry.js';
import { GroupConflict, MemberCheckFailed } from '../../storage/group-store.js';
import { classicMember, rebalanceInProgress, unknownClassicMember } from './classic-errors.js';
import { settleClassic } from './classic-state.js';
import { decide } from './commit-records.js';
import { OFFSETS_PER_MEMBER_COMMIT } from './defaults.js';
import type { GroupDeps } from './deps.js';

export async function commitAsClassicMember(
  deps: GroupDeps,
  request: CommitOffsetsRequest,
  memberId: string,
  generationId: number,
  requirePartitions: () => Promise<void>,
): Promise<CommitOffsetsReply> {
  const { groupId } = request;
  const check = async (): Promise<void> => {
    const loaded = await deps.store.load(groupId);
    if (loaded === undefined || loaded.meta.classic === undefined) throw unknownClassicMember(groupId, memberId);
    const { state } = settleClassic(loaded, deps.now());
    classicMember(state, { groupId, memberId, instanceId: request.instanceId, generationId });
    if (state.meta.state === 'COMPLETING_REBALANCE') throw rebalanceInProgress(groupId);
  };
  await check();
  await requirePartitions();
  return retry(
    async () => {
      const nowMs = deps.now();
      const { writes, results } = decide(request.offsets, nowMs, generationId);
      for (let i = 0; i < writes.length; i += OFFSETS_PER_MEMBER_COMMIT - 1) {
        const offsets = writes.slice(i, i + OFFSETS_PER_MEMBER_COMMIT - 1);
        try {
          await deps.store.commitClassicOffsets({ groupId, memberId, generationId, nowMs, offsets });
        } catch (err) {
          if (!(err instanceof MemberCheckFailed)) throw err;
          await check();
          throw new GroupConflict(groupId);
        }
      }
      return { offsets: results };
    },
    { maxAttempts: 8, initialDelayMs: 10, maxDelayMs: 200, random: deps.random, isRetriable: (err) => err instanceof GroupConflict },
  );
}
