/**
 * Topic configuration: the keys kafkaless honours, Kafka's defaults, and
 * validation. A topic stores only the values set explicitly; the defaults
 * fill the rest when read, as Kafka's describeConfigs reports them.
 */
import { KafkalessError } from '../errors.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../limits.js';

type Parsed = number | string;

interface ConfigDef {
  readonly defaultValue: string;
  readonly documentation: string;
  /** Returns a problem description, or undefined when the value is valid. */
  readonly check: (value: string) => string | undefined;
}

const MAX_INT = 2_147_483_647;

function longAtLeast(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): string | undefined => {
    if (!/^-?\d+$/.test(value.trim())) return 'Expected value to be a whole number';
    const n = Number(value);
    if (!Number.isSafeInteger(n)) return 'Value is out of range';
    if (n < min) return `Value must be at least ${min}`;
    if (n > max) return `Value must be no more than ${max}`;
    return undefined;
  };
}

function oneOf(allowed: readonly string[]) {
  return (value: string): string | undefined =>
    allowed.includes(value.trim()) ? undefined : `String must be one of: ${allowed.join(', ')}`;
}

function listOf(allowed: readonly string[]) {
  return (value: string): string | undefined => {
    const items = value.split(',').map((s) => s.trim());
    if (items.length === 0 || items.some((s) => s === '')) return 'Expected a comma-separated list';
    const bad = items.find((s) => !allowed.includes(s));
    return bad === undefined ? undefined : `Invalid value ${bad}; list items must be one of: ${allowed.join(', ')}`;
  };
}

export const TOPIC_CONFIGS = {
  'cleanup.policy': {
    defaultValue: 'delete',
    documentation: 'delete (retention by time and size), compact (keep the last record per key), or both',
    check: listOf(['delete', 'compact']),
  },
  'compression.type': {
    defaultValue: 'producer',
    documentation: "codec the log keeps: 'producer' keeps the producer's; or uncompressed, gzip, snappy, lz4, zstd",
    check: oneOf(['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd']),
  },
  'delete.retention.ms': {
    defaultValue: '86400000',
    documentation: 'how long tombstones are kept on compacted topics',
    check: longAtLeast(0),
  },
  'max.message.bytes': {
    defaultValue: String(DEFAULT_MAX_MESSAGE_BYTES),
    documentation: 'the largest record batch accepted, after compression',
    check: longAtLeast(0, MAX_INT),
  },
  'message.timestamp.type': {
    defaultValue: 'CreateTime',
    documentation: "CreateTime keeps the producer's timestamps; LogAppendTime stamps the commit time",
    check: oneOf(['CreateTime', 'LogAppendTime']),
  },
  'min.compaction.lag.ms': {
    defaultValue: '0',
    documentation: 'records younger than this are never compacted',
    check: longAtLeast(0),
  },
  'retention.bytes': {
    defaultValue: '-1',
    documentation: 'bytes a partition keeps before old segments are deleted; -1 for no limit',
    check: longAtLeast(-1),
  },
  'retention.ms': {
    defaultValue: '604800000',
    documentation: 'how long records are kept; -1 for no limit',
    check: longAtLeast(-1),
  },
  'segment.bytes': {
    defaultValue: '1073741824',
    documentation: 'size at which a segment object is closed',
    check: longAtLeast(14, MAX_INT),
  },
  'segment.ms': {
    defaultValue: '604800000',
    documentation: 'age at which a segment object is closed',
    check: longAtLeast(1),
  },
} as const satisfies Record<string, ConfigDef>;

export type TopicConfigName = keyof typeof TOPIC_CONFIGS;
export const TOPIC_CONFIG_NAMES = Object.keys(TOPIC_CONFIGS).sort() as TopicConfigName[];

/** The values a topic sets explicitly, as strings (Kafka's representation). */
export type TopicConfigOverrides = Partial<Record<TopicConfigName, string>>;

/** A topic's effective configuration, parsed. */
export interface TopicConfig {
  readonly cleanupPolicy: readonly ('delete' | 'compact')[];
  readonly compressionType: 'producer' | 'uncompressed' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
  readonly deleteRetentionMs: number;
  readonly maxMessageBytes: number;
  readonly messageTimestampType: 'CreateTime' | 'LogAppendTime';
  readonly minCompactionLagMs: number;
  readonly retentionBytes: number;
  readonly retentionMs: number;
  readonly segmentBytes: number;
  readonly segmentMs: number;
}

export function isTopicConfigName(name: string): name is TopicConfigName {
  return Object.hasOwn(TOPIC_CONFIGS, name);
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
      problems.push(`Unknown topic config name: ${name} (known: ${TOPIC_CONFIG_NAMES.join(', ')})`);
      continue;
    }
    if (value === null) {
      out[name] = null;
      continue;
    }
    const problem = TOPIC_CONFIGS[name].check(value);
    if (problem !== undefined) problems.push(`Invalid value ${value} for configuration ${name}: ${problem}`);
    else out[name] = value.trim();
  }
  if (problems.length > 0) {
    throw new KafkalessError('InvalidConfig', problems.join('; '), { context: topic ? { topic } : {} });
  }
  return out;
}

function effective(overrides: TopicConfigOverrides, name: TopicConfigName): string {
  return overrides[name] ?? TOPIC_CONFIGS[name].defaultValue;
}

/** The effective configuration: explicit values over Kafka's defaults. */
export function resolveTopicConfig(overrides: TopicConfigOverrides): TopicConfig {
  const num = (name: TopicConfigName): number => Number(effective(overrides, name));
  const str = (name: TopicConfigName): Parsed => effective(overrides, name);
  return Object.freeze({
    cleanupPolicy: Object.freeze(
      String(str('cleanup.policy'))
        .split(',')
        .map((s) => s.trim() as 'delete' | 'compact'),
    ),
    compressionType: str('compression.type') as TopicConfig['compressionType'],
    deleteRetentionMs: num('delete.retention.ms'),
    maxMessageBytes: num('max.message.bytes'),
    messageTimestampType: str('message.timestamp.type') as TopicConfig['messageTimestampType'],
    minCompactionLagMs: num('min.compaction.lag.ms'),
    retentionBytes: num('retention.bytes'),
    retentionMs: num('retention.ms'),
    segmentBytes: num('segment.bytes'),
    segmentMs: num('segment.ms'),
  });
}

export interface ConfigEntryDescription {
  readonly name: TopicConfigName;
  readonly value: string;
  readonly isDefault: boolean;
  readonly source: 'DYNAMIC_TOPIC_CONFIG' | 'DEFAULT_CONFIG';
  readonly documentation: string;
}

/** Every config with its effective value and where it comes from, as describeConfigs shows. */
export function describeTopicConfig(overrides: TopicConfigOverrides): ConfigEntryDescription[] {
  return TOPIC_CONFIG_NAMES.map((name) => {
    const explicit = overrides[name];
    return {
      name,
      value: explicit ?? TOPIC_CONFIGS[name].defaultValue,
      isDefault: explicit === undefined,
      source: explicit === undefined ? 'DEFAULT_CONFIG' : 'DYNAMIC_TOPIC_CONFIG',
      documentation: TOPIC_CONFIGS[name].documentation,
    };
  });
}
