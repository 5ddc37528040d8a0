/**
 * The broker configs DescribeConfigs answers for this gateway's broker, all
 * read-only: Kafka's broker names of the topic defaults (log.retention.ms
 * for retention.ms, …), with the topic defaults' values, and the fixed
 * facts of a kafkaless cluster. Every value comes from the broker's own
 * tables; none is set per gateway but the node id.
 */
import { DEFAULT_PARTITION_COUNT } from '../broker/admin/partition-count.js';
import { MAX_FETCH_BYTES } from '../limits.js';
import type { ConfigType } from '../protocol/config-types.js';
import { TOPIC_CONFIGS, type TopicConfigName } from '../protocol/topic-config.js';
import { CONFIG_SOURCE } from './config-resources.js';

export interface BrokerConfigEntry {
  readonly name: string;
  readonly value: string;
  /** DEFAULT_CONFIG when the value is Kafka's default, STATIC_BROKER_CONFIG when kafkaless fixes another. */
  readonly source: number;
  readonly type: ConfigType;
  readonly documentation: string;
}

/** Kafka's broker-level name for a topic config's default (its DEFAULT_CONFIG synonym); topic configs absent here have none. */
export const BROKER_SYNONYMS: Partial<Record<TopicConfigName, string>> = {
  'cleanup.policy': 'log.cleanup.policy',
  'compression.gzip.level': 'compression.gzip.level',
  'compression.lz4.level': 'compression.lz4.level',
  'compression.type': 'compression.type',
  'compression.zstd.level': 'compression.zstd.level',
  'delete.retention.ms': 'log.cleaner.delete.retention.ms',
  'file.delete.delay.ms': 'log.segment.delete.delay.ms',
  'flush.messages': 'log.flush.interval.messages',
  'flush.ms': 'log.flush.interval.ms',
  'index.interval.bytes': 'log.index.interval.bytes',
  'local.retention.bytes': 'log.local.retention.bytes',
  'local.retention.ms': 'log.local.retention.ms',
  'max.compaction.lag.ms': 'log.cleaner.max.compaction.lag.ms',
  'max.message.bytes': 'message.max.bytes',
  'message.downconversion.enable': 'log.message.downconversion.enable',
  'message.format.version': 'log.message.format.version',
  'message.timestamp.after.max.ms': 'log.message.timestamp.after.max.ms',
  'message.timestamp.before.max.ms': 'log.message.timestamp.before.max.ms',
  'message.timestamp.difference.max.ms': 'log.message.timestamp.difference.max.ms',
  'message.timestamp.type': 'log.message.timestamp.type',
  'min.cleanable.dirty.ratio': 'log.cleaner.min.cleanable.ratio',
  'min.compaction.lag.ms': 'log.cleaner.min.compaction.lag.ms',
  'min.insync.replicas': 'min.insync.replicas',
  preallocate: 'log.preallocate',
  'retention.bytes': 'log.retention.bytes',
  'retention.ms': 'log.retention.ms',
  'segment.bytes': 'log.segment.bytes',
  'segment.index.bytes': 'log.index.size.max.bytes',
  'segment.jitter.ms': 'log.roll.jitter.ms',
  'segment.ms': 'log.roll.ms',
  'unclean.leader.election.enable': 'unclean.leader.election.enable',
};

function fixed(name: string, value: string, type: ConfigType, kafkaDefault: boolean, documentation: string): BrokerConfigEntry {
  return { name, value, type, documentation, source: kafkaDefault ? CONFIG_SOURCE.DEFAULT_CONFIG : CONFIG_SOURCE.STATIC_BROKER_CONFIG };
}

/** Every broker config answered, sorted by name. */
export function brokerConfigs(nodeId: number): BrokerConfigEntry[] {
  const facts = [
    fixed('broker.id', String(nodeId), 'int', false, "This gateway's node id, as Metadata reports it"),
    fixed('node.id', String(nodeId), 'int', false, "This gateway's node id, as Metadata reports it"),
    fixed('auto.create.topics.enable', 'false', 'boolean', false, 'Topics are created by CreateTopics only; Metadata never creates them'),
    fixed('delete.topic.enable', 'true', 'boolean', true, 'DeleteTopics deletes topics'),
    fixed('num.partitions', String(DEFAULT_PARTITION_COUNT), 'int', true, 'Partitions of a topic created without a count'),
    fixed('default.replication.factor', '1', 'int', true, 'Topics report replication factor 1: S3 and DynamoDB keep every acknowledged record in several availability zones'),
    fixed('fetch.max.bytes', String(MAX_FETCH_BYTES), 'int', false, 'The most bytes one fetch answer carries (a larger request is served this much)'),
  ];
  const defaults = (Object.entries(BROKER_SYNONYMS) as [TopicConfigName, string][]).map(([topicName, name]) => {
    const def = TOPIC_CONFIGS[topicName];
    return fixed(name, def.defaultValue, def.validator.type, true, `The default of topic config ${topicName}: ${def.documentation}`);
  });
  return [...facts, ...defaults].sort((a, b) => a.name.localeCompare(b.name));
}
