/**
 * Consumer group administration in kafkajs's shapes (listGroups,
 * describeGroups, deleteGroups, fetchOffsets, setOffsets, resetOffsets)
 * and Java's (alterConsumerGroupOffsets, deleteConsumerGroupOffsets), over
 * the group function's replies. Each adds what kafkaless knows beyond
 * kafkajs (state, epochs, assignments as topic/partition lists, lag).
 */
import { KafkalessError } from '../errors.js';
import type { AdminReplies } from '../protocol/admin-replies.js';
import { memberProtocolBytes, partitionsByTopic, type TopicPartitionList } from '../protocol/consumer-protocol.js';
export type { TopicPartitionList } from '../protocol/consumer-protocol.js';
import type {
  CommitOffsetsReply,
  DeleteOffsetsReply,
  GroupDescription,
  GroupReplies,
  GroupStateName,
  GroupTopicPartition,
  MemberDescription,
  PartitionLag,
  ResetOffsetsReply,
} from '../protocol/group-replies.js';
import type { ResetTarget } from '../protocol/group-requests.js';
import { kafkaGroupState, type KafkaGroupState } from '../protocol/group-state-names.js';
import { call, type Transport } from './transport.js';

/** Kafka's names of a consumer group's states (Java's GroupState), as kafka-consumer-groups prints them. */
export type ConsumerGroupState = KafkaGroupState;


export interface GroupOverview {
  readonly groupId: string;
  /** 'consumer', or what a classic group's members sent (kafkajs' protocolType). */
  readonly protocolType: string;
  readonly state: ConsumerGroupState;
  readonly members: number;
}

export interface GroupMemberDescription {
  readonly memberId: string;
  readonly clientId: string;
  readonly clientHost: string;
  /** Kafka's ConsumerProtocolAssignment bytes (kafkajs: AssignerProtocol.MemberAssignment.decode). */
  readonly memberAssignment: Buffer;
  /** Kafka's ConsumerProtocolSubscription bytes (kafkajs: AssignerProtocol.MemberMetadata.decode). */
  readonly memberMetadata: Buffer;
  /** The partitions the member owns now, per topic. */
  readonly assignment: TopicPartitionList[];
  /** What the coordinator wants it to own once it has reconciled. */
  readonly targetAssignment: TopicPartitionList[];
  /** Partitions it was asked to give up and has not yet released. */
  readonly revoking: TopicPartitionList[];
  readonly instanceId?: string;
  readonly memberEpoch: number;
  readonly subscribedTopics?: readonly string[];
  readonly subscribedTopicRegex?: string;
  readonly lastHeartbeatMs: number;
  readonly sessionTimeoutMs: number;
}

export interface ConsumerGroupDescription {
  readonly groupId: string;
  readonly state: ConsumerGroupState;
  /** The group's assignor (kafkajs: the protocol the group agreed on). */
  readonly protocol: string;
  /** 'consumer', or what a classic group's members sent. */
  readonly protocolType: string;
  /** Which protocol its members speak: KIP-848 heartbeats (consumer) or JoinGroup/SyncGroup (classic). */
  readonly type: 'classic' | 'consumer';
  readonly members: GroupMemberDescription[];
  readonly groupEpoch: number;
  readonly assignmentEpoch: number;
  /** Per partition: committed offset, log end offset, lag and owner (kafka-consumer-groups --describe). */
  readonly partitions: PartitionLag[];
}

export interface FetchOffsetsPartition {
  readonly partition: number;
  /** As kafkajs: a string; '-1' for a partition of a named topic without a committed offset. */
  readonly offset: string;
  readonly metadata: string | null;
}

export interface OffsetToAlter {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number | string;
  readonly metadata?: string;
}

export interface ResetOffsetsOptions {
  readonly groupId: string;
  readonly topic: string;
  readonly partitions?: readonly number[];
  /** kafkaless's target; without it, kafkajs's `earliest` (true: earliest, else latest). */
  readonly to?: ResetTarget;
  readonly earliest?: boolean;
  readonly dryRun?: boolean;
}

/** Groups a sorted list of partitions by topic. */
export const byTopic = partitionsByTopic;

export function stateName(state: GroupStateName): ConsumerGroupState {
  return kafkaGroupState(state);
}

function describeMember(m: MemberDescription): GroupMemberDescription {
  const bytes = memberProtocolBytes(m);
  return {
    memberId: m.memberId,
    clientId: m.clientId ?? '',
    clientHost: m.clientHost ?? '',
    memberAssignment: bytes.assignment,
    memberMetadata: bytes.metadata,
    assignment: byTopic(m.assignment),
    targetAssignment: byTopic(m.targetAssignment),
    revoking: byTopic(m.revoking),
    ...(m.instanceId !== undefined ? { instanceId: m.instanceId } : {}),
    memberEpoch: m.memberEpoch,
    ...(m.subscribedTopics !== undefined ? { subscribedTopics: m.subscribedTopics } : {}),
    ...(m.subscribedTopicRegex !== undefined ? { subscribedTopicRegex: m.subscribedTopicRegex } : {}),
    lastHeartbeatMs: m.lastHeartbeatMs,
    sessionTimeoutMs: m.sessionTimeoutMs,
  };
}

function describeGroup(g: GroupDescription): ConsumerGroupDescription {
  return {
    groupId: g.groupId,
    state: stateName(g.state),
    protocol: g.protocolName ?? g.assignor,
    protocolType: g.protocolType ?? 'consumer',
    type: g.type ?? 'consumer',
    members: g.members.map(describeMember),
    groupEpoch: g.groupEpoch,
    assignmentEpoch: g.assignmentEpoch,
    partitions: [...g.partitions],
  };
}

/** fetchOffsets' answer as one list of committed offsets (numbers), leaving out partitions with none. */
export function committedOffsetsOf(fetched: readonly { topic: string; partitions: readonly FetchOffsetsPartition[] }[]): { topic: string; partition: number; offset: number }[] {
  return fetched.flatMap((t) => t.partitions.filter((p) => p.offset !== '-1').map((p) => ({ topic: t.topic, partition: p.partition, offset: Number(p.offset) })));
}

/** An offset given as kafkajs gives them (a string) or as a number: a whole number >= 0. */
export function toOffset(value: number | string, field: string): number {
  const n = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new KafkalessError('InvalidRequest', `${field} must be a whole number >= 0, got '${String(value)}'`, { context: { field } });
  return n;
}

export class GroupAdmin {
  constructor(private readonly transport: Transport) {}

  async listGroups(): Promise<{ groups: GroupOverview[] }> {
    const reply = await call<GroupReplies['listGroups']>(this.transport, 'group', { action: 'listGroups' });
    return { groups: reply.groups.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? 'consumer', state: stateName(g.state), members: g.members })) };
  }

  async describeGroups(groupIds: readonly string[]): Promise<{ groups: ConsumerGroupDescription[] }> {
    const reply = await call<GroupReplies['describeGroups']>(this.transport, 'group', { action: 'describeGroups', groupIds });
    return { groups: reply.groups.map(describeGroup) };
  }

  async deleteGroups(groupIds: readonly string[]): Promise<{ groupId: string; errorCode: number }[]> {
    const reply = await call<GroupReplies['deleteGroups']>(this.transport, 'group', { action: 'deleteGroups', groupIds });
    return reply.groupIds.map((groupId) => ({ groupId, errorCode: 0 }));
  }

  async fetchOffsets(options: { groupId: string; topics?: readonly string[] }): Promise<{ topic: string; partitions: FetchOffsetsPartition[] }[]> {
    const reply = await call<GroupReplies['fetchOffsets']>(this.transport, 'group', { action: 'fetchOffsets', ...options });
    const topics = new Map<string, Map<number, FetchOffsetsPartition>>();
    const at = (topic: string) => topics.get(topic) ?? topics.set(topic, new Map()).get(topic)!;
    if (options.topics !== undefined && options.topics.length > 0) {
      // As kafkajs: every partition of a named topic, '-1' where nothing is committed.
      const described = await call<AdminReplies['describeTopics']>(this.transport, 'admin', { action: 'describeTopics', topics: [...new Set(options.topics)] });
      for (const t of described.topics) for (const p of t.partitions) at(t.topic).set(p.partition, { partition: p.partition, offset: '-1', metadata: null });
    }
    for (const o of reply.offsets) at(o.topic).set(o.partition, { partition: o.partition, offset: String(o.offset), metadata: o.metadata });
    return [...topics]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([topic, partitions]) => ({ topic, partitions: [...partitions.values()].sort((a, b) => a.partition - b.partition) }));
  }

  /** Java's alterConsumerGroupOffsets: writes these offsets as given (also backward); only while the group has no live members. */
  async alterConsumerGroupOffsets(groupId: string, offsets: readonly OffsetToAlter[]): Promise<void> {
    const entries = offsets.map((o, i) => ({
      topic: o.topic,
      partition: o.partition,
      offset: toOffset(o.offset, `offsets[${i}].offset`),
      ...(o.metadata !== undefined ? { metadata: o.metadata } : {}),
    }));
    await call<CommitOffsetsReply>(this.transport, 'group', { action: 'commitOffsets', groupId, offsets: entries });
  }

  /** kafkajs's setOffsets: one topic's partitions to these offsets. */
  async setOffsets(options: { groupId: string; topic: string; partitions: readonly { partition: number; offset: number | string }[] }): Promise<void> {
    await this.alterConsumerGroupOffsets(
      options.groupId,
      options.partitions.map((p) => ({ topic: options.topic, partition: p.partition, offset: p.offset })),
    );
  }

  async resetOffsets(options: ResetOffsetsOptions): Promise<ResetOffsetsReply> {
    const { earliest, to, ...rest } = options;
    const target: ResetTarget = to ?? (earliest === true ? 'earliest' : 'latest');
    return call<GroupReplies['resetOffsets']>(this.transport, 'group', { action: 'resetOffsets', ...rest, to: target });
  }

  /** Kafka's OffsetDelete: the committed offsets of these topics (all partitions of a topic given without partitions). */
  async deleteGroupOffsets(options: { groupId: string; topics: readonly { topic: string; partitions?: readonly number[] }[] }): Promise<DeleteOffsetsReply> {
    return call<GroupReplies['deleteOffsets']>(this.transport, 'group', { action: 'deleteOffsets', groupId: options.groupId, topics: options.topics });
  }

  /** Java's deleteConsumerGroupOffsets(groupId, partitions). */
  async deleteConsumerGroupOffsets(groupId: string, partitions: readonly GroupTopicPartition[]): Promise<DeleteOffsetsReply> {
    return this.deleteGroupOffsets({ groupId, topics: byTopic(partitions) });
  }
}
