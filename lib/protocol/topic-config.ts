/**
 * Topic configuration: every topic-level key Kafka defines (LogConfig), with
 * Kafka's type, default and valid range, and whether it has an effect here.
 * A topic stores only the values set explicitly; the defaults fill the rest
 * when read, as Kafka's describeConfigs reports them. Keys without effect
 * are accepted, validated, stored and described, so tools that set them
 * (Terraform providers, GitOps tools, Kafka's scripts) work unchanged.
 */
import { KafkalessError } from '../errors.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../limits.js';
import { bool, double, int, intBetweenOr, listItems, listOf, long, LONG_MAX_VALUE, matching, oneOf, throttledReplicas, type ConfigType, type ConfigValidator } from './config-types.js';

interface ConfigDef {
  readonly defaultValue: string;
  readonly validator: ConfigValidator;
  /** False when kafkaless accepts and stores the key but nothing reads it. */
  readonly hasEffect: boolean;
  readonly documentation: string;
}

function def(defaultValue: string, validator: ConfigValidator, hasEffect: boolean, documentation: string): ConfigDef {
  return { defaultValue, validator, hasEffect, documentation };
}

const NO_REPLICAS = 'there are no replicas: S3 and DynamoDB keep every acknowledged record in several availability zones';
const NO_LOCAL_DISK = 'there is no broker disk: segments are S3 objects';
const NO_TIERING = 'the log already lives in S3; there is no local tier';

export const TOPIC_CONFIGS = {
  'cleanup.policy': def('delete', listOf(['delete', 'compact']), true, 'delete (retention by time and size), compact (keep the last record per key), or both'),
  'compression.gzip.level': def('-1', intBetweenOr(1, 9, -1), false, 'gzip level when compression.type=gzip; the codec default level is used'),
  'compression.lz4.level': def('9', int(1, 17), false, 'lz4 level when compression.type=lz4; the codec default level is used'),
  'compression.type': def('producer', oneOf(['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer']), true, "codec the log keeps: 'producer' keeps the producer's; or uncompressed, gzip, snappy, lz4, zstd"),
  'compression.zstd.level': def('3', int(-131072, 22), false, 'zstd level when compression.type=zstd; the codec default level is used'),
  'delete.retention.ms': def('86400000', long(0), true, 'how long tombstones are kept on compacted topics'),
  'file.delete.delay.ms': def('60000', long(0), false, "delay before a deleted segment file is removed; the garbage collector's grace period applies instead"),
  'flush.messages': def(LONG_MAX_VALUE, long(1), false, 'fsync interval in records; every acknowledged write is already durable'),
  'flush.ms': def(LONG_MAX_VALUE, long(0), false, 'fsync interval in time; every acknowledged write is already durable'),
  'follower.replication.throttled.replicas': def('', throttledReplicas(), false, `replicas throttled while following; ${NO_REPLICAS}`),
  'index.interval.bytes': def('4096', int(0), false, 'bytes between offset index entries; segment indexes use 4096'),
  'leader.replication.throttled.replicas': def('', throttledReplicas(), false, `replicas throttled while leading; ${NO_REPLICAS}`),
  'local.retention.bytes': def('-2', long(-2), false, `bytes kept on the local tier (-2: retention.bytes); ${NO_TIERING}`),
  'local.retention.ms': def('-2', long(-2), false, `time kept on the local tier (-2: retention.ms); ${NO_TIERING}`),
  'max.compaction.lag.ms': def(LONG_MAX_VALUE, long(1), false, 'the longest a record stays uncompacted; compaction runs on the maintenance schedule'),
  'max.message.bytes': def(String(DEFAULT_MAX_MESSAGE_BYTES), int(0), true, 'the largest record batch accepted, after compression'),
  'message.downconversion.enable': def('true', bool(), false, 'down-conversion for old fetch versions (removed in Kafka 4); records are always served as they are stored'),
  'message.format.version': def('3.0-IV1', matching(/^[0-4]\.\d+(\.\d+)?(-IV\d+)?$/, 'a Kafka version such as 2.8 or 3.0-IV1'), false, 'deprecated record format version (removed in Kafka 4); records are always RecordBatch v2'),
  'message.timestamp.after.max.ms': def('3600000', long(0), true, 'how far a CreateTime timestamp may be ahead of the broker clock (Kafka 4 default: one hour)'),
  'message.timestamp.before.max.ms': def(LONG_MAX_VALUE, long(0), true, 'how far a CreateTime timestamp may be behind the broker clock'),
  'message.timestamp.difference.max.ms': def(LONG_MAX_VALUE, long(0), false, 'deprecated (removed in Kafka 4); use message.timestamp.before.max.ms and message.timestamp.after.max.ms'),
  'message.timestamp.type': def('CreateTime', oneOf(['CreateTime', 'LogAppendTime']), true, "CreateTime keeps the producer's timestamps; LogAppendTime stamps the commit time"),
  'min.cleanable.dirty.ratio': def('0.5', double(0, 1), false, 'dirty share that triggers compaction; compaction runs on the maintenance schedule'),
  'min.compaction.lag.ms': def('0', long(0), true, 'records younger than this are never compacted'),
  'min.insync.replicas': def('1', int(1), false, `replicas that must acknowledge an acks=all write; ${NO_REPLICAS}`),
  preallocate: def('false', bool(), false, `preallocate segment files; ${NO_LOCAL_DISK}`),
  'remote.log.copy.disable': def('false', bool(), false, `stop copying segments to remote storage; ${NO_TIERING}`),
  'remote.log.delete.on.disable': def('false', bool(), false, `delete remote data when tiering is turned off; ${NO_TIERING}`),
  'remote.storage.enable': def('false', bool(), false, `tiered storage; ${NO_TIERING}`),
  'retention.bytes': def('-1', long(), true, 'bytes a partition keeps before old segments are deleted; negative for no limit'),
  'retention.ms': def('604800000', long(-1), true, 'how long records are kept; -1 for no limit'),
  'segment.bytes': def('1073741824', int(14), true, 'size at which a segment object is closed'),
  'segment.index.bytes': def('10485760', int(4), false, `size of a segment's offset index file; ${NO_LOCAL_DISK}`),
  'segment.jitter.ms': def('0', long(0), false, 'random jitter subtracted from segment.ms; segments roll on the maintenance schedule'),
  'segment.ms': def('604800000', long(1), true, 'age at which a segment object is closed'),
  'unclean.leader.election.enable': def('false', bool(), false, `elect an out-of-sync replica as leader; ${NO_REPLICAS}`),
} as const satisfies Record<string, ConfigDef>;

export type TopicConfigName = keyof typeof TOPIC_CONFIGS;
export const TOPIC_CONFIG_NAMES = Object.keys(TOPIC_CONFIGS).sort() as TopicConfigName[];

/** The values a topic sets explicitly, as strings (Kafka's representation). */
export type TopicConfigOverrides = Partial<Record<TopicConfigName, string>>;

/** A topic's effective configuration, parsed: the keys that have an effect. */
export interface TopicConfig {
  readonly cleanupPolicy: readonly ('delete' | 'compact')[];
  readonly compressionType: 'producer' | 'uncompressed' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  readonly deleteRetentionMs: number;
  readonly maxMessageBytes: number;
  readonly messageTimestampType: 'CreateTime' | 'LogAppendTime';
  readonly messageTimestampAfterMaxMs: number;
  readonly messageTimestampBeforeMaxMs: number;
  readonly minCompactionLagMs: number;
  readonly retentionBytes: number;
  readonly retentionMs: number;
  readonly segmentBytes: number;
  readonly segmentMs: number;
}

export function isTopicConfigName(name: string): name is TopicConfigName {
  return Object.hasOwn(TOPIC_CONFIGS, name);
}

export function configType(name: TopicConfigName): ConfigType {
  return TOPIC_CONFIGS[name].validator.type;
}

function configError(problems: readonly string[], topic: string | undefined): KafkalessError {
  return new KafkalessError('InvalidConfig', problems.join('; '), { context: topic ? { topic } : {} });
}

/** Kafka's message for one bad value: the key, the value, and what is allowed. */
export function invalidValueProblem(name: TopicConfigName, value: string, problem: string): string {
  const valid = TOPIC_CONFIGS[name].validator.validValues;
  return `Invalid value ${value} for configuration ${name}: ${problem}${valid === '' ? '' : ` (valid values: ${valid})`}`;
}

export function unknownNameProblem(name: string): string {
  return `Unknown topic config name: ${name} (see docs/TOPIC-CONFIGS.md for the ${TOPIC_CONFIG_NAMES.length} topic configs)`;
}

/**
 * Validates config entries. Every problem is gathered before throwing, so a
 * user fixes them all at once. A null value means "back to the default".
 */
export function validateConfigEntries(
  entries: Record<string, string | null>,
  topic?: string,
): Partial<Record<TopicConfigName, string | null>> {
  const problems: string[] = [];
  const out: Partial<Record<TopicConfigName, string | null>> = {};
  for (const [name, value] of Object.entries(entries)) {
    if (!isTopicConfigName(name)) {
      problems.push(unknownNameProblem(name));
      continue;
    }
    if (value === null) {
      out[name] = null;
      continue;
    }
    const problem = TOPIC_CONFIGS[name].validator.check(value);
    if (problem !== undefined) problems.push(invalidValueProblem(name, value, problem));
    else out[name] = value.trim();
  }
  if (problems.length > 0) throw configError(problems, topic);
  return out;
}

/** Checks that hold between keys of a topic's resulting configuration (Kafka's LogConfig.validateValues). */
export function validateConfigCombination(overrides: TopicConfigOverrides, topic?: string): void {
  const min = BigInt(effective(overrides, 'min.compaction.lag.ms'));
  const max = BigInt(effective(overrides, 'max.compaction.lag.ms'));
  if (min > max) {
    throw configError([`conflict topic config setting min.compaction.lag.ms (${min}) > max.compaction.lag.ms (${max})`], topic);
  }
}

function effective(overrides: TopicConfigOverrides, name: TopicConfigName): string {
  return overrides[name] ?? TOPIC_CONFIGS[name].defaultValue;
}

/** The effective configuration: explicit values over Kafka's defaults. */
export function resolveTopicConfig(overrides: TopicConfigOverrides): TopicConfig {
  const num = (name: TopicConfigName): number => Number(effective(overrides, name));
  const str = (name: TopicConfigName): string => effective(overrides, name);
  return Object.freeze({
    cleanupPolicy: Object.freeze(listItems(str('cleanup.policy')) as ('delete' | 'compact')[]),
    compressionType: str('compression.type') as TopicConfig['compressionType'],
    deleteRetentionMs: num('delete.retention.ms'),
    maxMessageBytes: num('max.message.bytes'),
    messageTimestampType: str('message.timestamp.type') as TopicConfig['messageTimestampType'],
    messageTimestampAfterMaxMs: num('message.timestamp.after.max.ms'),
    messageTimestampBeforeMaxMs: num('message.timestamp.before.max.ms'),
    minCompactionLagMs: num('min.compaction.lag.ms'),
    retentionBytes: num('retention.bytes'),
    retentionMs: num('retention.ms'),
    segmentBytes: num('segment.bytes'),
    segmentMs: num('segment.ms'),
  });
}

/** One config as describeConfigs shows it (Kafka's DescribeConfigs fields, plus the default and whether it has an effect). */
export interface ConfigEntryDescription {
  readonly name: TopicConfigName;
  readonly value: string;
  readonly isDefault: boolean;
  readonly source: 'DYNAMIC_TOPIC_CONFIG' | 'DEFAULT_CONFIG';
  readonly isSensitive: false;
  readonly readOnly: false;
  readonly defaultValue: string;
  readonly type: ConfigType;
  readonly validValues: string;
  /** False for keys accepted and stored for compatibility that change nothing here. */
  readonly hasEffect: boolean;
  readonly documentation: string;
}

/** Every config with its effective value and where it comes from, as describeConfigs shows. */
export function describeTopicConfig(overrides: TopicConfigOverrides): ConfigEntryDescription[] {
  return TOPIC_CONFIG_NAMES.map((name) => {
    const explicit = overrides[name];
    const d: ConfigDef = TOPIC_CONFIGS[name];
    return {
      name,
      value: explicit ?? d.defaultValue,
      isDefault: explicit === undefined,
      source: explicit === undefined ? 'DEFAULT_CONFIG' : 'DYNAMIC_TOPIC_CONFIG',
      isSensitive: false,
      readOnly: false,
      defaultValue: d.defaultValue,
      type: d.validator.type,
      validValues: d.validator.validValues,
      hasEffect: d.hasEffect,
      documentation: d.hasEffect ? d.documentation : `Accepted without effect: ${d.documentation}.`,
    };
  });
}
