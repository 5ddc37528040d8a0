/**
 * How group records are laid out as items of the groups table: pk = groupId,
 * sk = 'meta' | 'member#<memberId>' | 'offset#<topic>#<partition>'.
 * Partitions are stored as 'topic#partition' strings, so a commit can check
 * ownership with `contains(owned, :tp)`.
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
export const OFFSET_PREFIX = 'offset#';
/** Member items outlive their session by this much before DynamoDB's TTL may remove them. */
export const MEMBER_TTL_GRACE_S = 7 * 24 * 3600;

export const memberSk = (memberId: string): string => MEMBER_PREFIX + memberId;
export const offsetSk = (topic: string, partition: number): string => `${OFFSET_PREFIX}${tpKey({ topic, partition })}`;
export const offsetTopicPrefix = (topic: string): string => `${OFFSET_PREFIX}${topic}#`;

type Item = Record<string, unknown>;

const keys = (tps: readonly TopicPartitionRef[]): string[] => tps.map(tpKey);
const refs = (value: unknown): TopicPartitionRef[] => (Array.isArray(value) ? value.map((k) => parseTpKey(String(k))) : []);
const optionalString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export function metaToItem(meta: GroupMeta): Item {
  const target: Record<string, string[]> = {};
  for (const [memberId, tps] of Object.entries(meta.targetAssignment)) target[memberId] = keys(tps);
  return {
    pk: meta.groupId,
    sk: META_SK,
    groupEpoch: meta.groupEpoch,
    assignmentEpoch: meta.assignmentEpoch,
    assignor: meta.assignor,
    targetAssignment: target,
    topicsSnapshot: meta.topicsSnapshot,
    state: meta.state,
    memberCount: meta.memberCount,
    nextJoinOrder: meta.nextJoinOrder,
    createdAtMs: meta.createdAtMs,
    version: meta.version,
    classic: meta.classic,
  };
}

export function itemToMeta(item: Item): GroupMeta {
  const target: Record<string, TopicPartitionRef[]> = {};
  for (const [memberId, value] of Object.entries((item.targetAssignment ?? {}) as Record<string, unknown>)) target[memberId] = refs(value);
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

export function memberToItem(groupId: string, member: GroupMember): Item {
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
    expiresAt: Math.ceil(expiresAtMs / 1000) + MEMBER_TTL_GRACE_S,
  };
}

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

export function offsetToItem(groupId: string, record: OffsetRecord): Item {
  return {
    pk: groupId,
    sk: offsetSk(record.topic, record.partition),
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    metadata: record.metadata,
    commitTimeMs: record.commitTimeMs,
    leaderEpoch: record.leaderEpoch,
  };
}

export function itemToOffset(item: Item): OffsetRecord {
  return {
    topic: String(item.topic),
    partition: Number(item.partition),
    offset: Number(item.offset),
    metadata: String(item.metadata ?? ''),
    commitTimeMs: Number(item.commitTimeMs ?? 0),
    ...(typeof item.leaderEpoch === 'number' ? { leaderEpoch: item.leaderEpoch } : {}),
  };
}
