/**
 * A consumer group's state as the coordinator reads and writes it: one meta
 * record and one record per member. Plain data, shared by the group store
 * (which maps it to DynamoDB items) and the coordinator's pure steps.
 */
import type { CommittedOffset, GroupStateName, GroupTopicPartition } from '../protocol/group-replies.js';

export type TopicPartitionRef = GroupTopicPartition;

/** A topic as the group last computed its target assignment from. */
export interface TopicSnapshot {
  readonly topicId: string;
  readonly partitions: number;
}

export interface GroupMeta {
  readonly groupId: string;
  /** Bumped by every rebalance (membership, subscriptions, topic metadata, assignor). */
  readonly groupEpoch: number;
  /** The group epoch the target assignment was computed at. */
  readonly assignmentEpoch: number;
  /** The assignor the target was computed with. */
  readonly assignor: string;
  /**
   * memberId → the partitions it should own. Held here while a step runs;
   * stored in each member's own item (`target`), not in the meta item, so the
   * meta stays small however large the group grows.
   */
  readonly targetAssignment: Readonly<Record<string, readonly TopicPartitionRef[]>>;
  /** The subscribed topics, as seen when the target was computed. */
  readonly topicsSnapshot: Readonly<Record<string, TopicSnapshot>>;
  readonly state: GroupStateName;
  /** Members at the last write (for listing groups without reading members). */
  readonly memberCount: number;
  /** Gives members a stable join order (assignors take members in a stable order). */
  readonly nextJoinOrder: number;
  readonly createdAtMs: number;
  /** Bumped by every write; every write is conditional on it. */
  readonly version: number;
  /**
   * When a heartbeat should next run a whole-group step to expire members
   * whose session ended (the earliest session end seen at the last step).
   * Quiet heartbeats read it instead of every member item.
   */
  readonly sweepAtMs?: number;
  /** Present for a group of Kafka's classic protocol (JoinGroup/SyncGroup); its generation is groupEpoch. */
  readonly classic?: ClassicGroupMeta;
}

/** A classic group's coordinator state beside the meta (state names: EMPTY, PREPARING_REBALANCE, COMPLETING_REBALANCE, STABLE). */
export interface ClassicGroupMeta {
  readonly protocolType: string;
  /** The protocol (assignor) chosen when the last generation completed. */
  readonly protocolName?: string;
  readonly leaderId?: string;
  /** PREPARING_REBALANCE: the join phase ends by then, members that did not rejoin are removed. */
  readonly rebalanceDeadlineMs?: number;
  /** PREPARING_REBALANCE: not completed before this (group.initial.rebalance.delay.ms after an empty group's first join). */
  readonly joinNotBeforeMs?: number;
  /** COMPLETING_REBALANCE: the leader must send the assignments by then, or it is removed and the group rebalances. */
  readonly syncDeadlineMs?: number;
}

/** A classic member's protocols and place in the rebalance. */
export interface ClassicMemberState {
  readonly protocolType: string;
  /** In the member's order of preference; metadata in base64. */
  readonly protocols: readonly { readonly name: string; readonly metadata: string }[];
  readonly rebalanceTimeoutMs: number;
  /** PREPARING_REBALANCE: the member has (re)joined this rebalance and waits for it to complete. */
  readonly joined: boolean;
  /** Its assignment in the current generation (base64), once the leader sent it. */
  readonly assignment?: string;
}

export interface GroupMember {
  readonly memberId: string;
  readonly instanceId?: string;
  /** The consumer's client.id and host, as it last sent them. */
  readonly clientId?: string;
  readonly clientHost?: string;
  readonly memberEpoch: number;
  /** The epoch before the last bump: a heartbeat whose reply was lost may still carry it. */
  readonly previousMemberEpoch: number;
  readonly subscribedTopics?: readonly string[];
  readonly subscribedTopicRegex?: string;
  /** The member's preferred assignor, if it named one. */
  readonly assignor?: string;
  /** Partitions the member may consume now. */
  readonly assigned: readonly TopicPartitionRef[];
  /** Partitions the member was told to give up and has not yet reported released. */
  readonly revoking: readonly TopicPartitionRef[];
  readonly lastHeartbeatMs: number;
  readonly sessionTimeoutMs: number;
  readonly joinOrder: number;
  /** A static member that left with epoch -2: its place (and partitions) are kept until its session expires. */
  readonly leftStatic?: boolean;
  /** Present for a member of a classic group; its generation is memberEpoch. */
  readonly classic?: ClassicMemberState;
}

export interface GroupState {
  readonly meta: GroupMeta;
  /** In join order. */
  readonly members: readonly GroupMember[];
  /** What the store read beside the records, to write them back conditionally (absent for a group not read from the table). */
  readonly stored?: StoredGroup;
}

/** A member item's counters and the offsets it holds, as read. */
export interface StoredMember {
  /** `mv`: bumped by every write of the item but a quiet heartbeat's and a commit's. */
  readonly version: number;
  /** `cc`: bumped by every commit into the item. */
  readonly commits: number;
  readonly offsets: readonly OffsetRecord[];
  /** The item is a departed member's (it left, expired or was replaced): it keeps only offsets, already copied to the topics' items, until a later step removes it. */
  readonly departed?: boolean;
}

/** A topic's offsets item of the group, as read. */
export interface StoredTopicOffsets {
  /** `ov`: bumped by every write of the item. */
  readonly version: number;
  readonly offsets: readonly OffsetRecord[];
}

export interface StoredGroup {
  /** Every member item read, departed members' included. */
  readonly members: Readonly<Record<string, StoredMember>>;
  readonly topics: Readonly<Record<string, StoredTopicOffsets>>;
}

/**
 * The group's committed offsets: per partition the latest (see `atLeast`)
 * of what its topic's offsets item and the member items hold (a member's
 * own commits wait in its item until the partition leaves it), sorted, as
 * answered (without the epoch they are ordered by).
 */
export function committedOffsets(stored: StoredGroup | undefined): CommittedOffset[] {
  return latestOffsets(stored).map(({ epoch: _epoch, ...answered }) => answered);
}

/** The group's committed offsets as `committedOffsets` finds them, with their epochs. */
export function latestOffsets(stored: StoredGroup | undefined): OffsetRecord[] {
  const found = new Map<string, OffsetRecord>();
  for (const topic of Object.values(stored?.topics ?? {})) for (const r of topic.offsets) found.set(tpKey(r), r);
  for (const member of Object.values(stored?.members ?? {})) {
    for (const r of member.offsets) {
      const other = found.get(tpKey(r));
      if (other === undefined || atLeast(r, other)) found.set(tpKey(r), r);
    }
  }
  return [...found.values()].sort(compareTps);
}

/**
 * A committed offset as stored: with `epoch`, the epoch it was committed at
 * (the committing member's epoch; for a write outside the members, one no
 * lower than any it replaces). A partition moves from one member to another
 * only through a new target epoch, and a member holding a partition keeps
 * an epoch below the one that took it away, so the epoch orders the offsets
 * of one partition in different items as their commits happened, whatever
 * the clocks of the machines that wrote them; the commit time orders those
 * of one epoch.
 */
export interface OffsetRecord extends CommittedOffset {
  readonly epoch?: number;
}

/** `a` was committed no earlier than `b`: by epoch, then by commit time. */
export function atLeast(a: OffsetRecord, b: OffsetRecord): boolean {
  const ea = a.epoch ?? 0;
  const eb = b.epoch ?? 0;
  return ea !== eb ? ea > eb : a.commitTimeMs >= b.commitTimeMs;
}

export const tpKey = (tp: TopicPartitionRef): string => `${tp.topic}#${tp.partition}`;

export function parseTpKey(key: string): TopicPartitionRef {
  const at = key.lastIndexOf('#');
  return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
}

export function compareTps(a: TopicPartitionRef, b: TopicPartitionRef): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  return a.partition - b.partition;
}

/** When a member's session ends unless it heartbeats again. */
export function sessionExpiresAtMs(member: GroupMember): number {
  return member.lastHeartbeatMs + member.sessionTimeoutMs;
}

/** Everything a member holds in the coordinator's record: its assignment and what it is still revoking. */
export function ownedBy(member: GroupMember): TopicPartitionRef[] {
  return [...member.assigned, ...member.revoking];
}
