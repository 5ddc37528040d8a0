/** What the group function answers, per action. Plain JSON. */

export interface GroupTopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/**
 * Kafka's consumer group states (KIP-848), plus DEAD while a group is being
 * deleted; a classic group (JoinGroup/SyncGroup) is also PREPARING_REBALANCE
 * or COMPLETING_REBALANCE.
 */
export type GroupStateName = 'EMPTY' | 'ASSIGNING' | 'RECONCILING' | 'STABLE' | 'DEAD' | 'PREPARING_REBALANCE' | 'COMPLETING_REBALANCE';

/** A KIP-848 group ('consumer') or one of Kafka's classic group protocol; absent means 'consumer'. */
export type GroupType = 'classic' | 'consumer';

export interface HeartbeatReply {
  readonly memberId: string;
  /** -1 after a leave, -2 after a static leave. */
  readonly memberEpoch: number;
  readonly heartbeatIntervalMs: number;
  /** Every partition the member may own now, sorted; partitions it holds and are absent must be revoked. */
  readonly assignment: readonly GroupTopicPartition[];
  readonly groupEpoch: number;
}

export interface CommittedOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly metadata: string;
  readonly commitTimeMs: number;
  readonly leaderEpoch?: number;
}

export interface CommitResult {
  readonly topic: string;
  readonly partition: number;
  /** The group's committed offset after this request. */
  readonly offset: number;
  /** True: an accepted commit is written as asked (an explicit commit may move the offset back, as in Kafka). */
  readonly applied: boolean;
}

export interface CommitOffsetsReply {
  readonly offsets: readonly CommitResult[];
}

export interface FetchOffsetsReply {
  readonly offsets: readonly CommittedOffset[];
}

export interface ResetOffsetsReply {
  readonly offsets: readonly { topic: string; partition: number; offset: number; previousOffset: number | null }[];
  readonly dryRun: boolean;
}

export interface GroupListing {
  readonly groupId: string;
  readonly state: GroupStateName;
  readonly members: number;
  /** Absent: 'consumer'. */
  readonly type?: GroupType;
  /** The classic group's protocol type (JoinGroup's); absent: 'consumer'. */
  readonly protocolType?: string;
}

export interface MemberDescription {
  readonly memberId: string;
  readonly instanceId?: string;
  /** '' when the consumer did not send them. */
  readonly clientId: string;
  readonly clientHost: string;
  readonly memberEpoch: number;
  readonly assignment: readonly GroupTopicPartition[];
  /** Partitions the member was asked to give up and has not yet released. */
  readonly revoking: readonly GroupTopicPartition[];
  readonly targetAssignment: readonly GroupTopicPartition[];
  readonly subscribedTopics?: readonly string[];
  readonly subscribedTopicRegex?: string;
  readonly lastHeartbeatMs: number;
  readonly sessionTimeoutMs: number;
  /** A classic member's protocol metadata (JoinGroup's, of the group's protocol), base64. */
  readonly metadata?: string;
  /** A classic member's assignment bytes (SyncGroup's), base64. */
  readonly assignmentBytes?: string;
}

/** One row of `kafka-consumer-groups --describe`. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** null when the group committed nothing for this partition. */
  readonly committedOffset: number | null;
  /** The high watermark. */
  readonly logEndOffset: number;
  /** logEndOffset − committedOffset; null without a committed offset. */
  readonly lag: number | null;
  /** The member owning the partition now, if any. */
  readonly memberId: string | null;
  readonly instanceId?: string;
}

export interface GroupDescription {
  readonly groupId: string;
  readonly state: GroupStateName;
  readonly assignor: string;
  readonly groupEpoch: number;
  readonly assignmentEpoch: number;
  readonly members: readonly MemberDescription[];
  readonly partitions: readonly PartitionLag[];
  /** Absent: consumer. */
  readonly type?: GroupType;
  readonly protocolType?: string;
  /** A classic group's chosen protocol (the assignor), once a generation completed. */
  readonly protocolName?: string;
}

/** A classic member in a JoinGroup answer (the leader's list). */
export interface ClassicJoinMember {
  readonly memberId: string;
  readonly instanceId?: string;
  /** The member's metadata for the chosen protocol, base64. */
  readonly metadata: string;
}

/**
 * JoinGroup's answer: `waiting` while the rebalance is still open (ask again
 * with `sinceGeneration`), `memberIdRequired` with the id to join with, or
 * `joined` with the completed generation.
 */
export type ClassicJoinReply =
  | { readonly status: 'waiting'; readonly memberId: string; readonly sinceGeneration: number }
  | { readonly status: 'memberIdRequired'; readonly memberId: string }
  | {
      readonly status: 'joined';
      readonly memberId: string;
      readonly generationId: number;
      readonly protocolType: string;
      readonly protocolName: string;
      readonly leader: string;
      /** All members with their metadata for the leader; empty for the others. */
      readonly members: readonly ClassicJoinMember[];
    };

/** SyncGroup's answer: `waiting` until the leader sent the assignments, then the member's own. */
export type ClassicSyncReply =
  | { readonly status: 'waiting' }
  | { readonly status: 'synced'; readonly protocolType: string; readonly protocolName: string; readonly assignment: string };

export interface ClassicLeaveReply {
  readonly members: readonly { memberId: string; instanceId?: string; error?: { code: string; message: string } }[];
}

export interface GroupReplies {
  heartbeat: HeartbeatReply;
  commitOffsets: CommitOffsetsReply;
  fetchOffsets: FetchOffsetsReply;
  resetOffsets: ResetOffsetsReply;
  listGroups: { readonly groups: readonly GroupListing[] };
  describeGroups: { readonly groups: readonly GroupDescription[] };
  deleteGroups: { readonly groupIds: readonly string[] };
  deleteOffsets: DeleteOffsetsReply;
  classicJoin: ClassicJoinReply;
  classicSync: ClassicSyncReply;
  classicHeartbeat: Record<string, never>;
  classicLeave: ClassicLeaveReply;
}

export interface DeleteOffsetsReply {
  /** Every partition asked for: it has no committed offset in the group now. */
  readonly partitions: readonly GroupTopicPartition[];
}
