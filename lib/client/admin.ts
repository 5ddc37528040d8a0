/**
 * The admin client, with kafkajs's method names: createTopics, listTopics,
 * describeTopics (kafkajs: fetchTopicMetadata), deleteTopics,
 * createPartitions, describeConfigs, alterConfigs.
 */
import type { AdminReplies, CreatedTopic, TopicConfigDescription, TopicDescription } from '../protocol/admin-replies.js';
import { call, type Transport } from './transport.js';

export interface ConfigEntry {
  readonly name: string;
  readonly value: string;
}

export interface NewTopic {
  readonly topic: string;
  /** Default 1. */
  readonly numPartitions?: number;
  readonly configEntries?: readonly ConfigEntry[];
}

export class Admin {
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

  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
}
