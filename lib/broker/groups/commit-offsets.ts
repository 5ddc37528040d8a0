/**
 * OffsetCommit. From a member: allowed only with its current (or previous)
 * epoch, a live session, and for partitions it owns; written into its own
 * member item by one conditional update, so a member fenced or expired
 * meanwhile cannot commit (a partition has one owner). Without a member: allowed only while the
 * group has no live members (Kafka's rule for "simple" commits), in a group
 * step. An accepted commit is written as asked, also below the committed
 * offset: an explicit commit after a seek moves the offset back, as in
 * Kafka (an explicit reset; offsets never move back otherwise). Only
 * explicit commits reach the group: auto-commit moves forward on the
 * client, and fencing by member epoch keeps anyone but the partition's
 * owner out.
 */
import { KafkalessError } from '../../errors.js';
import type { CommitOffsetsReply, CommitResult } from '../../protocol/group-replies.js';
import type { CommitOffsetsRequest } from '../../protocol/group-requests.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import { retry } from '../../retry.js';
import { ownedBy, sessionExpiresAtMs, tpKey, type GroupMember } from '../../storage/group-records.js';
import { GroupConflict, MemberCheckFailed } from '../../storage/group-store.js';
import { runGroupStep } from './coordinator.js';
import { OFFSETS_PER_GROUP_STEP, OFFSETS_PER_MEMBER_COMMIT } from './defaults.js';
import type { GroupDeps } from './deps.js';
import { commitAsClassicMember } from './classic-commit.js';
import { decide } from './commit-records.js';
import { settleGroup } from './expire-step.js';
import type { TopicsView } from './topics-view.js';
import { validateGroupId } from './validate.js';

type CommitEntry = CommitOffsetsRequest['offsets'][number];

export async function commitOffsets(deps: GroupDeps, request: CommitOffsetsRequest): Promise<CommitOffsetsReply> {
  validateGroupId(request.groupId);
  validateEntries(request.offsets);
  if (request.generationIdOrMemberEpoch !== undefined) return commitFromKafkaClient(deps, request, request.generationIdOrMemberEpoch);
  if (request.memberId !== undefined) {
    if (request.memberEpoch === undefined) {
      throw new KafkalessError('InvalidRequest', 'A member commits with its memberEpoch', { context: { field: 'memberEpoch' } });
    }
    return commitAsMember(deps, request, request.memberId, request.memberEpoch);
  }
  if (request.memberEpoch !== undefined) {
    throw new KafkalessError('InvalidRequest', 'memberEpoch was given without memberId', { context: { field: 'memberId' } });
  }
  return commitOutsideMembers(deps, request);
}

/**
 * A Kafka client's OffsetCommit: its generation (classic group) or member
 * epoch (consumer group) and member id, '' and -1 for a commit outside the
 * members. Which it is follows from the group's type.
 */
async function commitFromKafkaClient(deps: GroupDeps, request: CommitOffsetsRequest, generationOrEpoch: number): Promise<CommitOffsetsReply> {
  const memberId = request.memberId ?? '';
  const loaded = await deps.store.load(request.groupId);
  const consumerGroup = loaded !== undefined && loaded.meta.classic === undefined && loaded.meta.state !== 'DEAD' && loaded.members.length > 0;
  if (consumerGroup) return memberId === '' || generationOrEpoch < 0 ? commitOutsideMembers(deps, request) : commitAsMember(deps, request, memberId, generationOrEpoch);
  const known = loaded?.members.some((m) => m.memberId === memberId) === true;
  if (generationOrEpoch < 0 && !known) return commitOutsideMembers(deps, request);
  return commitAsClassicMember(deps, request, memberId, generationOrEpoch, () => requirePartitions(deps, request.offsets));
}

function validateEntries(entries: readonly CommitEntry[]): void {
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    validateTopicName(e.topic);
    const key = tpKey(e);
    if (seen.has(key)) {
      throw new KafkalessError('InvalidRequest', `Partition ${e.partition} of '${e.topic}' appears twice in one commit`, { context: { field: `offsets[${i}]` } });
    }
    seen.add(key);
  });
}

async function commitAsMember(deps: GroupDeps, request: CommitOffsetsRequest, memberId: string, memberEpoch: number): Promise<CommitOffsetsReply> {
  const { groupId } = request;
  return retry(
    async () => {
      const nowMs = deps.now();
      const { writes, results } = decide(request.offsets, nowMs, memberEpoch);
      // One conditional write checks everything; only a commit too large for one is checked by a read first, so that none of it is written if any would be refused.
      if (writes.length > OFFSETS_PER_MEMBER_COMMIT) checkMember(await deps.store.getMember(groupId, memberId), request, memberId, memberEpoch, nowMs);
      for (let i = 0; i < writes.length; i += OFFSETS_PER_MEMBER_COMMIT) {
        const chunk = writes.slice(i, i + OFFSETS_PER_MEMBER_COMMIT);
        try {
          await deps.store.commitMemberOffsets({ groupId, memberId, memberEpoch, nowMs, partitions: chunk, offsets: chunk });
        } catch (err) {
          if (!(err instanceof MemberCheckFailed)) throw err;
          checkMember(await deps.store.getMember(groupId, memberId), request, memberId, memberEpoch, deps.now());
          throw new GroupConflict(groupId);
        }
      }
      return { offsets: results };
    },
    { maxAttempts: 8, initialDelayMs: 10, maxDelayMs: 200, random: deps.random, isRetriable: (err) => err instanceof GroupConflict },
  );
}

/** The member may commit these offsets, or the typed reason why not. */
export function checkMember(member: GroupMember | undefined, request: CommitOffsetsRequest, memberId: string, memberEpoch: number, nowMs: number): void {
  const context = { groupId: request.groupId, memberId };
  if (member === undefined || sessionExpiresAtMs(member) <= nowMs) {
    const why = member === undefined ? 'it is not a member' : 'its session expired';
    throw new KafkalessError('UnknownMemberId', `Member '${memberId}' cannot commit to group '${request.groupId}': ${why}`, { context });
  }
  if (member.leftStatic === true || (memberEpoch !== member.memberEpoch && memberEpoch !== member.previousMemberEpoch)) {
    throw new KafkalessError(
      'FencedMemberEpoch',
      `Member '${memberId}' of group '${request.groupId}' committed with epoch ${memberEpoch}, but its epoch is ${member.memberEpoch}`,
      { context },
    );
  }
  const owned = new Set(ownedBy(member).map(tpKey));
  const foreign = request.offsets.find((e) => !owned.has(tpKey(e)));
  if (foreign !== undefined) {
    throw new KafkalessError(
      'StaleMemberEpoch',
      `Member '${memberId}' does not own partition ${foreign.partition} of '${foreign.topic}' in group '${request.groupId}'; its assignment moved on`,
      { context: { ...context, topic: foreign.topic, partition: foreign.partition } },
    );
  }
}

function checkPartitionsExist(entries: readonly CommitEntry[], topics: TopicsView): void {
  for (const e of entries) {
    const topic = topics.get(e.topic);
    if (topic === undefined || e.partition >= topic.partitions) {
      throw new KafkalessError('UnknownTopicOrPartition', `Partition ${e.partition} of '${e.topic}' does not exist`, { context: { topic: e.topic, partition: e.partition } });
    }
  }
}

async function requirePartitions(deps: GroupDeps, entries: readonly CommitEntry[]): Promise<void> {
  const named = [...new Set(entries.map((e) => e.topic))];
  try {
    checkPartitionsExist(entries, await deps.topics.view(named));
  } catch {
    // The cached topic list may predate a topic or partitions created since: look again before refusing.
    deps.topics.forget();
    checkPartitionsExist(entries, await deps.topics.view(named));
  }
}

async function commitOutsideMembers(deps: GroupDeps, request: CommitOffsetsRequest): Promise<CommitOffsetsReply> {
  const { groupId } = request;
  await requirePartitions(deps, request.offsets);
  const results: CommitResult[] = [];
  for (let i = 0; i < request.offsets.length; i += OFFSETS_PER_GROUP_STEP) {
    const entries = request.offsets.slice(i, i + OFFSETS_PER_GROUP_STEP);
    const chunk = await runGroupStep<CommitResult[]>(deps, groupId, async (loaded, env) => {
      const settled = settleGroup(groupId, loaded, env);
      if (settled.state.members.length > 0) {
        const error = new KafkalessError('UnknownMemberId', `Group '${groupId}' has live members; only a member (memberId, memberEpoch) may commit`, { context: { groupId } });
        return { state: settled.state, write: settled.changed, error };
      }
      const { writes, results: decided } = decide(entries, env.nowMs);
      return { state: settled.state, write: true, reply: decided, offsets: writes };
    });
    results.push(...chunk);
  }
  return { offsets: results };
}
