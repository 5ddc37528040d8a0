/**
 * How group records are laid out as items of the groups table: pk = groupId,
 * sk = 'meta' | 'member#<memberId>' | 'offsets#<topic>'.
 * Partitions are stored as 'topic#partition' strings, so a commit can check
 * ownership with `contains(owned, :tp)`.
 *
 * Committed offsets live in two places. A member's commits go to its own
 * item (`offsets`, a map 'topic#partition' → offset record), one
 * conditional update however many partitions. When a partition leaves a
 * member (it released it, left or expired), the step that records that
 * copies its offset to the group's item of that topic ('offsets#<topic>':
 * an attribute 'p<partition>' per partition, and `ov`, a counter every
 * write of it bumps), where commits made outside the members, resets,
 * classic members and transactions write too. A partition's committed
 * offset is the latest (by commit time) of what these items hold.
 *
 * An offset is copied, never moved: a Query of the group reads its items
 * one by one, and DynamoDB does not isolate it from a transaction (it may
 * see one item before the transaction and another after), so a transaction
 * that took an offset out of one item and put it into another could be
 * read as holding it in neither. The member's entry (or, for a member that
 * is gone, its item turned into a departed item holding its offsets) is
 * removed only by a later step, once the topic's item as read covers it.
 */
import type { GroupStateName } from '../protocol/group-replies.js';
import {
  ownedBy,
  type ClassicGroupMeta,
  type ClassicMemberState,
  parseTpKey,
  sessionExpiresAtMs,
  tpKey,
  type GroupMember,
  type GroupMeta,
  type OffsetRecord,
  type TopicPartitionRef,
  type TopicSnapshot,
} from './group-records.js';

export const META_SK = 'meta';
export const MEMBER_PREFIX = 'member#';
export const OFFSETS_PREFIX = 'offsets#';
/** Member items outlive their session by this much before DynamoDB's TTL may remove them. */
export const MEMBER_TTL_GRACE_S = 7 * 24 * 3600;

export const memberSk = (memberId: string): string => MEMBER_PREFIX + memberId;
export const offsetsSk = (topic: string): string => `${OFFSETS_PREFIX}${topic}`;
/** The attribute of a partition's offset in its topic's offsets item. */
export const partitionAttribute = (partition: number): string => `p${partition}`;
const PARTITION_ATTRIBUTE = /^p(\d+)$/;

type Item = Record<string, unknown>;

const keys = (tps: readonly TopicPartitionRef[]): string[] => tps.map(tpKey);
const refs = (value: unknown): TopicPartitionRef[] => (Array.isArray(value) ? value.map((k) => parseTpKey(String(k))) : []);
const optionalString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The meta item: small and of a fixed size (the target assignment is in the member items). */
export function metaToItem(meta: GroupMeta): Item {
  return {
    pk: meta.groupId,
    sk: META_SK,
    groupEpoch: meta.groupEpoch,
    assignmentEpoch: meta.assignmentEpoch,
    assignor: meta.assignor,
    topicsSnapshot: meta.topicsSnapshot,
    state: meta.state,
    memberCount: meta.memberCount,
    nextJoinOrder: meta.nextJoinOrder,
    createdAtMs: meta.createdAtMs,
    version: meta.version,
    sweepAtMs: meta.sweepAtMs,
    classic: meta.classic,
  };
}

/** The meta as stored; its `targetAssignment` is filled in from the member items by whoever read them. */
export function itemToMeta(item: Item, target: Record<string, TopicPartitionRef[]> = {}): GroupMeta {
  const snapshot: Record<string, TopicSnapshot> = {};
  for (const [topic, value] of Object.entries((item.topicsSnapshot ?? {}) as Record<string, Item>)) {
    snapshot[topic] = { topicId: String(value.topicId), partitions: Number(value.partitions) };
  }
  return {
    groupId: String(item.pk),
    groupEpoch: Number(item.groupEpoch ?? 0),
    assignmentEpoch: Number(item.assignmentEpoch ?? 0),
    assignor: String(item.assignor),
    targetAssignment: target,
    topicsSnapshot: snapshot,
    state: String(item.state ?? 'EMPTY') as GroupStateName,
    memberCount: Number(item.memberCount ?? 0),
    nextJoinOrder: Number(item.nextJoinOrder ?? 0),
    createdAtMs: Number(item.createdAtMs ?? 0),
    version: Number(item.version ?? 0),
    ...(typeof item.sweepAtMs === 'number' ? { sweepAtMs: item.sweepAtMs } : {}),
    ...(isObject(item.classic) ? { classic: itemToClassicMeta(item.classic) } : {}),
  };
}

const isObject = (value: unknown): value is Item => typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalNumber = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

function itemToClassicMeta(item: Item): ClassicGroupMeta {
  const protocolName = optionalString(item.protocolName);
  const leaderId = optionalString(item.leaderId);
  const rebalanceDeadlineMs = optionalNumber(item.rebalanceDeadlineMs);
  const joinNotBeforeMs = optionalNumber(item.joinNotBeforeMs);
  const syncDeadlineMs = optionalNumber(item.syncDeadlineMs);
  return {
    protocolType: String(item.protocolType ?? ''),
    ...(protocolName !== undefined ? { protocolName } : {}),
    ...(leaderId !== undefined ? { leaderId } : {}),
    ...(rebalanceDeadlineMs !== undefined ? { rebalanceDeadlineMs } : {}),
    ...(joinNotBeforeMs !== undefined ? { joinNotBeforeMs } : {}),
    ...(syncDeadlineMs !== undefined ? { syncDeadlineMs } : {}),
  };
}

function itemToClassicMember(item: Item): ClassicMemberState {
  const assignment = optionalString(item.assignment);
  const protocols = Array.isArray(item.protocols) ? (item.protocols as Item[]).map((p) => ({ name: String(p.name), metadata: String(p.metadata ?? '') })) : [];
  return {
    protocolType: String(item.protocolType ?? ''),
    protocols,
    rebalanceTimeoutMs: Number(item.rebalanceTimeoutMs ?? 0),
    joined: item.joined === true,
    ...(assignment !== undefined ? { assignment } : {}),
  };
}

/** Liveness attributes: written only by the member's own heartbeats (and its joins), never by another member's step. */
export const LIVENESS_ATTRIBUTES: ReadonlySet<string> = new Set(['lastHeartbeatMs', 'sessionTimeoutMs', 'sessionExpiresAtMs', 'expiresAt']);

/**
 * A member item: the member, its own target assignment (`target`, absent
 * until the group computed one with it), `mv`, a counter every write of
 * the item but a quiet heartbeat's or a commit's bumps, and every write is
 * conditional on; its committed offsets (`offsets`) and `cc`, a counter each
 * commit bumps, on which writing the item whole is conditional.
 */
export function memberToItem(
  groupId: string,
  member: GroupMember,
  target: readonly TopicPartitionRef[] | undefined,
  version: number,
  stored: { readonly commits: number; readonly offsets: readonly OffsetRecord[] } = { commits: 0, offsets: [] },
): Item {
  const expiresAtMs = sessionExpiresAtMs(member);
  return {
    pk: groupId,
    sk: memberSk(member.memberId),
    memberId: member.memberId,
    instanceId: member.instanceId,
    clientId: member.clientId,
    clientHost: member.clientHost,
    memberEpoch: member.memberEpoch,
    previousMemberEpoch: member.previousMemberEpoch,
    subscribedTopics: member.subscribedTopics,
    subscribedTopicRegex: member.subscribedTopicRegex,
    assignor: member.assignor,
    assigned: keys(member.assigned),
    revoking: keys(member.revoking),
    owned: keys(ownedBy(member)),
    lastHeartbeatMs: member.lastHeartbeatMs,
    sessionTimeoutMs: member.sessionTimeoutMs,
    sessionExpiresAtMs: expiresAtMs,
    joinOrder: member.joinOrder,
    leftStatic: member.leftStatic === true ? true : undefined,
    classic: member.classic,
    target: target === undefined ? undefined : keys(target),
    mv: version,
    cc: stored.commits,
    offsets: Object.fromEntries(stored.offsets.map((r) => [tpKey(r), offsetValue(r)])),
    expiresAt: memberTtl(expiresAtMs),
  };
}

/**
 * What is left of a member that departed (left, expired, was fenced or
 * replaced) while its item held offsets not yet in the topics' items: its
 * offsets, copied to the topics' items in the same transaction, until a
 * later step deletes it. It owns nothing, so no commit can land in it.
 */
export function departedToItem(groupId: string, memberId: string, version: number, stored: { readonly commits: number; readonly offsets: readonly OffsetRecord[] }, nowMs: number): Item {
  return {
    pk: groupId,
    sk: memberSk(memberId),
    memberId,
    departed: true,
    mv: version,
    cc: stored.commits,
    offsets: Object.fromEntries(stored.offsets.map((r) => [tpKey(r), offsetValue(r)])),
    expiresAt: memberTtl(nowMs),
  };
}

/** Whether a member item is a departed member's (see departedToItem). */
export const isDepartedItem = (item: Item): boolean => item.departed === true;

export const memberTtl = (sessionExpiresAtMs: number): number => Math.ceil(sessionExpiresAtMs / 1000) + MEMBER_TTL_GRACE_S;

/** A member item's own target assignment, undefined when the group has none for it yet. */
export function itemToTarget(item: Item): TopicPartitionRef[] | undefined {
  return Array.isArray(item.target) ? refs(item.target) : undefined;
}

/** A member item's write counter (see memberToItem). */
export const itemToMemberVersion = (item: Item): number => Number(item.mv ?? 0);

export function itemToMember(item: Item): GroupMember {
  const instanceId = optionalString(item.instanceId);
  const regex = optionalString(item.subscribedTopicRegex);
  const assignor = optionalString(item.assignor);
  const clientId = optionalString(item.clientId);
  const clientHost = optionalString(item.clientHost);
  return {
    memberId: String(item.memberId),
    ...(instanceId !== undefined ? { instanceId } : {}),
    ...(clientId !== undefined ? { clientId } : {}),
    ...(clientHost !== undefined ? { clientHost } : {}),
    memberEpoch: Number(item.memberEpoch),
    previousMemberEpoch: Number(item.previousMemberEpoch ?? item.memberEpoch),
    ...(Array.isArray(item.subscribedTopics) ? { subscribedTopics: item.subscribedTopics.map(String) } : {}),
    ...(regex !== undefined ? { subscribedTopicRegex: regex } : {}),
    ...(assignor !== undefined ? { assignor } : {}),
    assigned: refs(item.assigned),
    revoking: refs(item.revoking),
    lastHeartbeatMs: Number(item.lastHeartbeatMs),
    sessionTimeoutMs: Number(item.sessionTimeoutMs),
    joinOrder: Number(item.joinOrder ?? 0),
    ...(item.leftStatic === true ? { leftStatic: true } : {}),
    ...(isObject(item.classic) ? { classic: itemToClassicMember(item.classic) } : {}),
  };
}

/** An offset record as stored (in a member's `offsets` map or a topic's offsets item). */
export function offsetValue(record: OffsetRecord): Item {
  return {
    o: record.offset,
    m: record.metadata,
    t: record.commitTimeMs,
    ...(record.epoch !== undefined ? { e: record.epoch } : {}),
    ...(record.leaderEpoch !== undefined ? { le: record.leaderEpoch } : {}),
  };
}

function valueToOffset(topic: string, partition: number, value: Item): OffsetRecord {
  return {
    topic,
    partition,
    offset: Number(value.o),
    metadata: String(value.m ?? ''),
    commitTimeMs: Number(value.t ?? 0),
    ...(typeof value.e === 'number' ? { epoch: value.e } : {}),
    ...(typeof value.le === 'number' ? { leaderEpoch: value.le } : {}),
  };
}

/** The offsets a member item holds. */
export function itemToMemberOffsets(item: Item): OffsetRecord[] {
  const map = isObject(item.offsets) ? item.offsets : {};
  return Object.entries(map).map(([key, value]) => {
    const tp = parseTpKey(key);
    return valueToOffset(tp.topic, tp.partition, value as Item);
  });
}

export const itemToCommitCount = (item: Item): number => Number(item.cc ?? 0);

/** The offsets a topic's offsets item holds, and its write counter. */
export function itemToTopicOffsets(item: Item): { topic: string; version: number; offsets: OffsetRecord[] } {
  const topic = String(item.topic);
  const offsets: OffsetRecord[] = [];
  for (const [name, value] of Object.entries(item)) {
    const match = PARTITION_ATTRIBUTE.exec(name);
    if (match !== null && isObject(value)) offsets.push(valueToOffset(topic, Number(match[1]), value));
  }
  return { topic, version: Number(item.ov ?? 0), offsets };
}

/** Offsets by topic, in the order given. */
export function byTopic(records: readonly OffsetRecord[]): Map<string, OffsetRecord[]> {
  const out = new Map<string, OffsetRecord[]>();
  for (const r of records) {
    let list = out.get(r.topic);
    if (list === undefined) out.set(r.topic, (list = []));
    list.push(r);
  }
  return out;
}

/**
 * One update of a topic's offsets item of the group: these partitions'
 * offsets as given (and `ov` bumped), with `extraCondition` (names `#pN`,
 * values `:oN` for partition N's offset are defined for it).
 */
export function topicOffsetsUpdate(tableName: string, groupId: string, topic: string, records: readonly OffsetRecord[], extraCondition?: (partition: number) => string): Item {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':topic': topic, ':one': 1 };
  const sets = ['topic = :topic'];
  const conditions: string[] = [];
  for (const r of records) {
    names[`#p${r.partition}`] = partitionAttribute(r.partition);
    values[`:p${r.partition}`] = offsetValue(r);
    sets.push(`#p${r.partition} = :p${r.partition}`);
    if (extraCondition !== undefined) {
      values[`:o${r.partition}`] = r.offset;
      conditions.push(extraCondition(r.partition));
    }
  }
  return {
    Update: {
      TableName: tableName,
      Key: { pk: groupId, sk: offsetsSk(topic) },
      UpdateExpression: `SET ${sets.join(', ')} ADD ov :one`,
      ...(conditions.length > 0 ? { ConditionExpression: conditions.join(' AND ') } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}
