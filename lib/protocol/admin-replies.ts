/** What the admin function answers, per action. Plain JSON. */
import type { ConfigEntryDescription, TopicConfigOverrides } from './topic-config.js';

export interface CreatedTopic {
  readonly topic: string;
  readonly topicId: string;
  readonly numPartitions: number;
  /** As asked (-1: the default); accepted without effect. */
  readonly replicationFactor: number;
  /** Kafka's warning for names with '.' or '_' (metric name collisions). */
  readonly warning?: string;
}

export interface PartitionDescription {
  readonly partition: number;
  readonly highWatermark: number;
  readonly logStartOffset: number;
  /** Bytes of record batches the log holds between the log start offset and the high watermark. */
  readonly bytes: number;
}

export interface TopicDescription {
  readonly topic: string;
  readonly topicId: string;
  readonly partitions: readonly PartitionDescription[];
  readonly configs: TopicConfigOverrides;
  /** As asked at creation (-1: the default); accepted without effect. */
  readonly replicationFactor: number;
  readonly createdAt: string;
}

export interface TopicConfigDescription {
  readonly topic: string;
  readonly configEntries: readonly ConfigEntryDescription[];
}

export interface DeletedRecords {
  readonly topic: string;
  readonly partition: number;
  /** The partition's log start offset after the request. */
  readonly lowWatermark: number;
}

/** kafkajs's describeCluster shape; see docs/TOPIC-CONFIGS.md for what the values mean here. */
export interface ClusterDescription {
  readonly brokers: readonly { readonly nodeId: number; readonly host: string; readonly port: number }[];
  readonly controller: number | null;
  readonly clusterId: string;
}

export interface AdminReplies {
  createTopics: { readonly topics: readonly CreatedTopic[] };
  listTopics: { readonly topics: readonly string[] };
  describeTopics: { readonly topics: readonly TopicDescription[] };
  deleteTopics: { readonly topics: readonly { topic: string; topicId: string }[] };
  createPartitions: { readonly topics: readonly { topic: string; numPartitions: number }[] };
  describeConfigs: { readonly topics: readonly TopicConfigDescription[] };
  alterConfigs: { readonly topics: readonly TopicConfigDescription[] };
  deleteRecords: { readonly partitions: readonly DeletedRecords[] };
  incrementalAlterConfigs: { readonly topics: readonly TopicConfigDescription[] };
  describeCluster: ClusterDescription;
}
