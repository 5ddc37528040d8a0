/**
 * The admin client, with kafkajs's method names: createTopics, listTopics,
 * describeTopics (kafkajs: fetchTopicMetadata), deleteTopics,
 * createPartitions, describeConfigs, alterConfigs, incrementalAlterConfigs,
 * fetchTopicOffsets, fetchTopicOffsetsByTimestamp, describeCluster; consumer
 * groups (lib/client/admin-groups.ts) and transactions
 * (lib/client/admin-transactions.ts) in kafkajs's and Java's shapes.
 */
import type { ConfigOperation } from '../protocol/admin-config-requests.js';
import type { AdminReplies, ClusterDescription, CreatedTopic, DeletedRecords, TopicConfigDescription, TopicDescription } from '../protocol/admin-replies.js';
import type { ResetOffsetsReply } from '../protocol/group-replies.js';
import { GroupAdmin, type ResetOffsetsOptions } from './admin-groups.js';
import { TransactionAdmin } from './admin-transactions.js';
import { fetchTopicOffsets, fetchTopicOffsetsByTimestamp, listOffsets, type ListedPartitionOffset, type OffsetSpec, type SeekEntry, type TopicPartitionOffsets } from './admin-topic-offsets.js';
import { call, type Transport } from './transport.js';

export interface ConfigEntry {
  readonly name: string;
  readonly value: string;
}

export interface NewTopic {
  readonly topic: string;
  /** Default 1. */
  readonly numPartitions?: number;
  /** -1 (the default) or a positive count: accepted and stored, without effect (S3 and DynamoDB replicate). */
  readonly replicationFactor?: number;
  readonly configEntries?: readonly ConfigEntry[];
}

export class Admin {
  private groupAdmin: GroupAdmin | undefined;
  private transactionAdmin: TransactionAdmin | undefined;

  constructor(private readonly transport: Transport) {}

  async createTopics(options: { topics: readonly NewTopic[]; validateOnly?: boolean }): Promise<CreatedTopic[]> {
    const reply = await call<AdminReplies['createTopics']>(this.transport, 'admin', { action: 'createTopics', ...options });
    return [...reply.topics];
  }

  async listTopics(): Promise<string[]> {
    return [...(await call<AdminReplies['listTopics']>(this.transport, 'admin', { action: 'listTopics' })).topics];
  }

  /** Topics with each partition's high watermark and log start offset; all topics when none named. */
  async describeTopics(options: { topics?: readonly string[] } = {}): Promise<TopicDescription[]> {
    return [...(await call<AdminReplies['describeTopics']>(this.transport, 'admin', { action: 'describeTopics', ...options })).topics];
  }

  async fetchTopicMetadata(options: { topics?: readonly string[] } = {}): Promise<{ topics: TopicDescription[] }> {
    return { topics: await this.describeTopics(options) };
  }

  async deleteTopics(options: { topics: readonly string[] }): Promise<void> {
    await call<AdminReplies['deleteTopics']>(this.transport, 'admin', { action: 'deleteTopics', ...options });
  }

  async createPartitions(options: { topicPartitions: readonly { topic: string; count: number }[]; validateOnly?: boolean }): Promise<void> {
    await call<AdminReplies['createPartitions']>(this.transport, 'admin', { action: 'createPartitions', ...options });
  }

  async describeConfigs(options: { topics: readonly string[] }): Promise<TopicConfigDescription[]> {
    return [...(await call<AdminReplies['describeConfigs']>(this.transport, 'admin', { action: 'describeConfigs', ...options })).topics];
  }

  /** Sets entries; an entry whose value is null goes back to its default (incremental, as Kafka's incrementalAlterConfigs). */
  async alterConfigs(options: {
    topics: readonly { topic: string; configEntries: readonly { name: string; value: string | null }[] }[];
    validateOnly?: boolean;
  }): Promise<TopicConfigDescription[]> {
    return [...(await call<AdminReplies['alterConfigs']>(this.transport, 'admin', { action: 'alterConfigs', ...options })).topics];
  }

  // --- topic configs, offsets and the cluster ---

  /** Kafka's incrementalAlterConfigs: SET, DELETE, APPEND or SUBTRACT (list-typed keys) per key; all topics change in one write, or none. */
  async incrementalAlterConfigs(options: {
    topics: readonly { topic: string; configEntries: readonly { name: string; operation: ConfigOperation; value?: string | null }[] }[];
    validateOnly?: boolean;
  }): Promise<TopicConfigDescription[]> {
    return [...(await call<AdminReplies['incrementalAlterConfigs']>(this.transport, 'admin', { action: 'incrementalAlterConfigs', ...options })).topics];
  }

  /** Per partition: `offset` and `high` the high watermark, `low` the log start offset (kafkajs's shape, strings). */
  async fetchTopicOffsets(topic: string): Promise<TopicPartitionOffsets[]> {
    return fetchTopicOffsets(this.transport, topic);
  }

  /** Per partition, the first offset at or after `timestamp` (epoch ms), else the high watermark (kafkajs's shape). */
  async fetchTopicOffsetsByTimestamp(topic: string, timestamp?: number): Promise<SeekEntry[]> {
    return fetchTopicOffsetsByTimestamp(this.transport, topic, timestamp);
  }

  /** Kafka's Admin.listOffsets for one topic: per partition (all, or those named), the offset at `spec`; '-1' when no record is that late. */
  async listOffsets(topic: string, spec: OffsetSpec, partitions?: readonly number[]): Promise<ListedPartitionOffset[]> {
    return listOffsets(this.transport, topic, spec, partitions);
  }

  /** kafkajs's `{ brokers, controller, clusterId }`: one logical broker (node 0) and a cluster id stable per stack. */
  async describeCluster(): Promise<ClusterDescription> {
    return call<AdminReplies['describeCluster']>(this.transport, 'admin', { action: 'describeCluster' });
  }

  // --- end of topic configs, offsets and the cluster ---

  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}

  private get groups(): GroupAdmin {
    return (this.groupAdmin ??= new GroupAdmin(this.transport));
  }

  private get transactions(): TransactionAdmin {
    return (this.transactionAdmin ??= new TransactionAdmin(this.transport));
  }

  /** Consumer groups (kafkajs: `{ groups: [{ groupId, protocolType }] }`), with their state and member count. */
  listGroups(): ReturnType<GroupAdmin['listGroups']> {
    return this.groups.listGroups();
  }

  /** Groups with members (kafkajs's fields, assignments as topic/partition lists) and, per partition, committed offset, log end offset and lag. */
  describeGroups(groupIds: readonly string[]): ReturnType<GroupAdmin['describeGroups']> {
    return this.groups.describeGroups(groupIds);
  }

  /** Deletes groups and their committed offsets; each must exist and have no live members (else NonEmptyGroup), checked before any is deleted. */
  deleteGroups(groupIds: readonly string[]): ReturnType<GroupAdmin['deleteGroups']> {
    return this.groups.deleteGroups(groupIds);
  }

  /** A group's committed offsets, per topic (kafkajs's shape); every partition of the named topics, '-1' where none is committed. */
  fetchOffsets(options: { groupId: string; topics?: readonly string[] }): ReturnType<GroupAdmin['fetchOffsets']> {
    return this.groups.fetchOffsets(options);
  }

  /** kafkajs's setOffsets: writes these offsets of one topic (only while the group has no live members). */
  setOffsets(options: Parameters<GroupAdmin['setOffsets']>[0]): Promise<void> {
    return this.groups.setOffsets(options);
  }

  /** Java's alterConsumerGroupOffsets: writes these offsets as given (only while the group has no live members). */
  alterConsumerGroupOffsets(groupId: string, offsets: Parameters<GroupAdmin['alterConsumerGroupOffsets']>[1]): Promise<void> {
    return this.groups.alterConsumerGroupOffsets(groupId, offsets);
  }

  /** Moves a group's offsets of one topic (only while it has no live members); `dryRun` only computes them. kafkajs's `{ earliest }` works too. */
  resetOffsets(options: ResetOffsetsOptions): Promise<ResetOffsetsReply> {
    return this.groups.resetOffsets(options);
  }

  /** Deletes a group's committed offsets of these topics/partitions; GroupSubscribedToTopic while a live member consumes one. */
  deleteGroupOffsets(options: Parameters<GroupAdmin['deleteGroupOffsets']>[0]): ReturnType<GroupAdmin['deleteGroupOffsets']> {
    return this.groups.deleteGroupOffsets(options);
  }

  /** Java's deleteConsumerGroupOffsets(groupId, partitions). */
  deleteConsumerGroupOffsets(groupId: string, partitions: readonly { topic: string; partition: number }[]): ReturnType<GroupAdmin['deleteConsumerGroupOffsets']> {
    return this.groups.deleteConsumerGroupOffsets(groupId, partitions);
  }

  /** Transactional ids with producer id and state (Kafka's ListTransactions), filtered by states and producer ids when given. */
  listTransactions(options?: Parameters<TransactionAdmin['listTransactions']>[0]): ReturnType<TransactionAdmin['listTransactions']> {
    return this.transactions.listTransactions(options);
  }

  /** Kafka's DescribeTransactions: state, producer id/epoch, timeout, start time and partitions of the current transaction. */
  describeTransactions(transactionalIds: readonly string[]): ReturnType<TransactionAdmin['describeTransactions']> {
    return this.transactions.describeTransactions(transactionalIds);
  }

  /** Kafka's DescribeProducers: each partition's active producers. */
  describeProducers(partitions: readonly { topic: string; partition: number }[]): ReturnType<TransactionAdmin['describeProducers']> {
    return this.transactions.describeProducers(partitions);
  }

  /**
   * Deletes records before the given offsets (Kafka's DeleteRecords; kafkajs:
   * deleteTopicRecords): each partition's log start offset moves up to
   * `offset`, or to the high watermark for -1. Answers the new low watermarks.
   */
  async deleteRecords(options: { topic: string; partitions: readonly { partition: number; offset: number | string }[] }): Promise<DeletedRecords[]> {
    const partitions = options.partitions.map((p) => ({ topic: options.topic, partition: p.partition, offset: Number(p.offset) }));
    return [...(await call<AdminReplies['deleteRecords']>(this.transport, 'admin', { action: 'deleteRecords', partitions })).partitions];
  }
}
