/**
 * The group function's requests: one object per call, `action` naming the
 * operation. `heartbeat` is KIP-848's ConsumerGroupHeartbeat (join with
 * memberEpoch 0, leave with -1, static leave with -2); the others are
 * Kafka's OffsetCommit, OffsetFetch and the admin group operations.
 * Shapes only; meaning (group id, assignor, topic names, regex) is checked
 * by the broker so that each gets its own Kafka error name.
 */
import { z } from 'zod';
import { MAX_COMMIT_OFFSETS, MAX_GROUPS_PER_REQUEST, MAX_NAME_CHARS, MAX_OFFSET_METADATA_LENGTH } from '../limits.js';

const groupId = z.string().max(MAX_NAME_CHARS);
const topicName = z.string().max(MAX_NAME_CHARS);
const partition = z.number().int().min(0).max(1_000_000);
const offset = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const memberId = z.string().max(200);
const topicPartition = z.object({ topic: topicName, partition }).strict();

/** Member epoch sent to join, leave, or leave while keeping a static member's place. */
export const JOIN_EPOCH = 0;
export const LEAVE_EPOCH = -1;
export const STATIC_LEAVE_EPOCH = -2;


export const heartbeatRequest = z
  .object({
    action: z.literal('heartbeat'),
    groupId,
    /** '' to join and be given an id; or a client-made UUID. */
    memberId,
    memberEpoch: z.number().int().min(-2).max(2_147_483_647),
    instanceId: z.string().min(1).max(200).optional(),
    /** The consumer's client.id and host, shown by describeGroups; sent on join, absent means unchanged. */
    clientId: z.string().max(255).optional(),
    clientHost: z.string().max(255).optional(),
    /** Sent on join and whenever it changes; absent means unchanged. */
    subscribedTopics: z.array(topicName).max(10_000).optional(),
    subscribedTopicRegex: z.string().min(1).max(1000).optional(),
    /** The member's preferred server-side assignor. */
    assignor: z.string().max(100).optional(),
    sessionTimeoutMs: z.number().int().optional(),
    /** The partitions the member still holds; absent means unchanged since the last heartbeat. */
    ownedPartitions: z.array(topicPartition).max(100_000).optional(),
  })
  .strict();

export const commitOffsetsRequest = z
  .object({
    action: z.literal('commitOffsets'),
    groupId,
    /** Absent for a commit that no member makes (allowed only while the group has no live members). */
    memberId: memberId.min(1).optional(),
    memberEpoch: z.number().int().min(0).max(2_147_483_647).optional(),
    /**
     * Kafka's OffsetCommit GenerationIdOrMemberEpoch, as a Kafka client sent
     * it (with memberId, '' for none): a classic group's generation, a
     * consumer group's member epoch, -1 for a commit outside the group's
     * members. Given instead of memberEpoch.
     */
    generationIdOrMemberEpoch: z.number().int().min(-1).max(2_147_483_647).optional(),
    instanceId: z.string().min(1).max(200).optional(),
    offsets: z
      .array(
        z
          .object({
            topic: topicName,
            partition,
            offset,
            metadata: z.string().max(MAX_OFFSET_METADATA_LENGTH).optional(),
            leaderEpoch: z.number().int().min(-1).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_COMMIT_OFFSETS),
  })
  .strict();

export const fetchOffsetsRequest = z
  .object({ action: z.literal('fetchOffsets'), groupId, topics: z.array(topicName).max(10_000).optional() })
  .strict();

export const resetTarget = z.union([
  z.literal('earliest'),
  z.literal('latest'),
  /** The committed offset (the log end offset where none is committed): moves nothing, shows the plan. */
  z.literal('current'),
  z.object({ timestamp: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict(),
  z.object({ offset }).strict(),
  /** The committed offset moved by this many (negative: back), clamped to the log. */
  z.object({ shiftBy: z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER) }).strict(),
]);
export type ResetTarget = z.infer<typeof resetTarget>;

export const resetOffsetsRequest = z
  .object({
    action: z.literal('resetOffsets'),
    groupId,
    topic: topicName,
    partitions: z.array(partition).min(1).max(10_000).optional(),
    to: resetTarget,
    /** Compute and answer the new offsets without writing them (the CLI's default). */
    dryRun: z.boolean().optional(),
  })
  .strict();

export const listGroupsRequest = z.object({ action: z.literal('listGroups') }).strict();

export const describeGroupsRequest = z
  .object({ action: z.literal('describeGroups'), groupIds: z.array(groupId).min(1).max(MAX_GROUPS_PER_REQUEST) })
  .strict();

export const deleteGroupsRequest = z
  .object({ action: z.literal('deleteGroups'), groupIds: z.array(groupId).min(1).max(MAX_GROUPS_PER_REQUEST) })
  .strict();

/** Kafka's OffsetDelete: the committed offsets of these partitions (all of a topic's when none are named). */
export const deleteOffsetsRequest = z
  .object({
    action: z.literal('deleteOffsets'),
    groupId,
    topics: z
      .array(z.object({ topic: topicName, partitions: z.array(partition).min(1).max(10_000).optional() }).strict())
      .min(1)
      .max(1000),
  })
  .strict();

/**
 * A classic member's metadata and assignment live in its DynamoDB item (at
 * most 400 KB): 192 KiB of metadata in all (base64 chars below) and 96 KiB
 * of assignment, far above what Kafka's clients send.
 */
export const MAX_CLASSIC_METADATA_CHARS = 262_144;
export const MAX_CLASSIC_ASSIGNMENT_CHARS = 131_072;
const classicProtocol = z.object({ name: z.string().max(255), metadata: z.string().max(MAX_CLASSIC_METADATA_CHARS) }).strict();
const timeoutMs = z.number().int().min(-1).max(2_147_483_647);

/** Kafka's JoinGroup; asked again (sinceGeneration set) while the rebalance is open. */
export const classicJoinRequest = z
  .object({
    action: z.literal('classicJoin'),
    groupId,
    memberId,
    instanceId: z.string().min(1).max(200).optional(),
    clientId: z.string().max(255).optional(),
    clientHost: z.string().max(255).optional(),
    sessionTimeoutMs: timeoutMs,
    rebalanceTimeoutMs: timeoutMs,
    protocolType: z.string().max(255),
    /** Metadata in base64. */
    protocols: z.array(classicProtocol).max(100),
    /** JoinGroup v4+: an empty memberId is answered memberIdRequired with a new id. */
    requireKnownMemberId: z.boolean(),
    /** Set when asking again: the generation the first answer was waiting from. */
    sinceGeneration: z.number().int().min(0).optional(),
  })
  .strict();

/** Kafka's SyncGroup; the leader sends every member's assignment (base64), the others none. */
export const classicSyncRequest = z
  .object({
    action: z.literal('classicSync'),
    groupId,
    memberId,
    instanceId: z.string().min(1).max(200).optional(),
    generationId: z.number().int(),
    protocolType: z.string().max(255).optional(),
    protocolName: z.string().max(255).optional(),
    assignments: z.array(z.object({ memberId, assignment: z.string().max(MAX_CLASSIC_ASSIGNMENT_CHARS) }).strict()).max(10_000),
  })
  .strict();

export const classicHeartbeatRequest = z
  .object({ action: z.literal('classicHeartbeat'), groupId, memberId, instanceId: z.string().min(1).max(200).optional(), generationId: z.number().int() })
  .strict();

/** Kafka's LeaveGroup: one member (v0-2) or a batch (v3+), each by member id or instance id. */
export const classicLeaveRequest = z
  .object({
    action: z.literal('classicLeave'),
    groupId,
    members: z.array(z.object({ memberId, instanceId: z.string().min(1).max(200).optional() }).strict()).min(1).max(1000),
  })
  .strict();

export const groupRequest = z.discriminatedUnion('action', [
  classicJoinRequest,
  classicSyncRequest,
  classicHeartbeatRequest,
  classicLeaveRequest,
  heartbeatRequest,
  commitOffsetsRequest,
  fetchOffsetsRequest,
  resetOffsetsRequest,
  listGroupsRequest,
  describeGroupsRequest,
  deleteGroupsRequest,
  deleteOffsetsRequest,
]);

export type GroupRequest = z.infer<typeof groupRequest>;
export type HeartbeatRequest = z.infer<typeof heartbeatRequest>;
export type CommitOffsetsRequest = z.infer<typeof commitOffsetsRequest>;
export type FetchOffsetsRequest = z.infer<typeof fetchOffsetsRequest>;
export type ResetOffsetsRequest = z.infer<typeof resetOffsetsRequest>;
export type DeleteOffsetsRequest = z.infer<typeof deleteOffsetsRequest>;
export type GroupAction = GroupRequest['action'];
export type ClassicJoinRequest = z.infer<typeof classicJoinRequest>;
export type ClassicSyncRequest = z.infer<typeof classicSyncRequest>;
export type ClassicHeartbeatRequest = z.infer<typeof classicHeartbeatRequest>;
export type ClassicLeaveRequest = z.infer<typeof classicLeaveRequest>;
export type TopicPartitionShape = z.infer<typeof topicPartition>;
