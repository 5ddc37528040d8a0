/**
 * A connector's configuration, named as Kafka Connect names it (and
 * Confluent's S3 sink for the S3 sink's own settings): a flat map of
 * strings, as Connect's REST API takes it, parsed into a typed, frozen
 * config. Every problem is gathered before throwing one `InvalidConfig`
 * error that lists them all. Pure.
 */
import { KafkalessError } from '../../errors.js';
import { MAX_NAME_CHARS } from '../../limits.js';
import type { LocalConnector } from '../../config/local-stack-state.js';

/** A value as given: Connect's configs are strings; numbers and booleans are taken as their string forms. */
export type ConfigValue = string | number | boolean;
export type RawConnectorConfig = Readonly<Record<string, ConfigValue>>;

export type ConverterKind = 'json' | 'string' | 'bytes';
export type ErrorTolerance = 'none' | 'all';
export type SinkFormat = 'json' | 'parquet';
export type PartitionerKind = 'default' | 'time' | 'field';
export type TimestampExtractor = 'Record' | 'RecordField';

export interface ConverterConfig {
  readonly kind: ConverterKind;
  /** JSON only: values are `{ schema, payload }` envelopes, of which `payload` is the value. */
  readonly schemasEnable: boolean;
}

export interface PartitionerConfig {
  readonly kind: PartitionerKind;
  /** time: a Joda-style pattern, e.g. `'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH`. */
  readonly pathFormat?: string;
  /** time: the width of one time bucket. */
  readonly partitionDurationMs?: number;
  readonly timestampExtractor: TimestampExtractor;
  /** RecordField: the value field holding the time (epoch ms or an ISO 8601 string); dots walk into objects. */
  readonly timestampField?: string;
  /** field: the value fields whose values name the path. */
  readonly fieldNames: readonly string[];
}

/** What every connector has: Kafka Connect's own settings. */
export interface CommonConnectorConfig {
  readonly name: string;
  readonly tasksMax: number;
  readonly keyConverter: ConverterConfig;
  readonly valueConverter: ConverterConfig;
  readonly errorsTolerance: ErrorTolerance;
  readonly deadLetterTopic?: string;
  readonly deadLetterContextHeaders: boolean;
  readonly errorsLogEnable: boolean;
}

export interface S3SinkConfig extends CommonConnectorConfig {
  readonly connectorClass: 'S3Sink';
  readonly topics: readonly string[];
  readonly topicsRegex?: string;
  readonly bucket: string;
  readonly topicsDir: string;
  readonly format: SinkFormat;
  readonly flushSize: number;
  /** -1: off. */
  readonly rotateIntervalMs: number;
  readonly partitioner: PartitionerConfig;
  readonly offsetZeroPadWidth: number;
  readonly nullValues: 'fail' | 'ignore';
}

/** Change data capture of a DynamoDB table's stream into a topic. */
export interface DynamoDbSourceConfig extends CommonConnectorConfig {
  readonly connectorClass: 'DynamoDbSource';
  readonly topic: string;
  readonly table: string;
  /** After a delete's change record, a record with the same key and a null value (log compaction then drops the item), as Debezium. */
  readonly tombstonesOnDelete: boolean;
}

export type S3SourceFormat = 'lines' | 'json' | 'object';

/** Objects under a prefix of a bucket as records. */
export interface S3SourceConfig extends CommonConnectorConfig {
  readonly connectorClass: 'S3Source';
  readonly topic: string;
  readonly bucket: string;
  readonly prefix: string;
  /** lines: a record per line of text; json: a record per line, each JSON; object: a record per object. */
  readonly format: S3SourceFormat;
}

export type ConnectorConfig = S3SinkConfig | DynamoDbSourceConfig | S3SourceConfig;

/** The most records one S3 sink object may hold: a subscription's largest batch. */
export const MAX_FLUSH_SIZE = 10_000;
export const MAX_TASKS = 100;

const CONNECTOR_CLASSES: Readonly<Record<string, ConnectorConfig['connectorClass']>> = {
  S3Sink: 'S3Sink',
  S3SinkConnector: 'S3Sink',
  'io.confluent.connect.s3.S3SinkConnector': 'S3Sink',
  DynamoDbSource: 'DynamoDbSource',
  DynamoDbStreamsSource: 'DynamoDbSource',
  S3Source: 'S3Source',
  S3SourceConnector: 'S3Source',
  'io.confluent.connect.s3.source.S3SourceConnector': 'S3Source',
};

const SOURCE_FORMATS: Readonly<Record<string, S3SourceFormat>> = {
  lines: 'lines',
  json: 'json',
  object: 'object',
  'io.confluent.connect.s3.format.string.StringFormat': 'lines',
  'io.confluent.connect.s3.format.json.JsonFormat': 'json',
  'io.confluent.connect.s3.format.bytearray.ByteArrayFormat': 'object',
};

const CONVERTERS: Readonly<Record<string, ConverterKind>> = {
  json: 'json',
  string: 'string',
  bytes: 'bytes',
  'org.apache.kafka.connect.json.JsonConverter': 'json',
  'org.apache.kafka.connect.storage.StringConverter': 'string',
  'org.apache.kafka.connect.converters.ByteArrayConverter': 'bytes',
};

const FORMATS: Readonly<Record<string, SinkFormat>> = {
  json: 'json',
  parquet: 'parquet',
  'io.confluent.connect.s3.format.json.JsonFormat': 'json',
  'io.confluent.connect.s3.format.parquet.ParquetFormat': 'parquet',
};

const PARTITIONERS: Readonly<Record<string, PartitionerKind>> = {
  default: 'default',
  time: 'time',
  field: 'field',
  'io.confluent.connect.storage.partitioner.DefaultPartitioner': 'default',
  'io.confluent.connect.storage.partitioner.TimeBasedPartitioner': 'time',
  'io.confluent.connect.storage.partitioner.FieldPartitioner': 'field',
};

/** The keys each connector class reads; anything else is a typo, refused. */
const COMMON_KEYS = [
  'name',
  'connector.class',
  'tasks.max',
  'key.converter',
  'key.converter.schemas.enable',
  'value.converter',
  'value.converter.schemas.enable',
  'errors.tolerance',
  'errors.deadletterqueue.topic.name',
  'errors.deadletterqueue.context.headers.enable',
  'errors.log.enable',
] as const;

const S3_SINK_KEYS = [
  'topics',
  'topics.regex',
  's3.bucket.name',
  'topics.dir',
  'format.class',
  'flush.size',
  'rotate.interval.ms',
  'partitioner.class',
  'path.format',
  'partition.duration.ms',
  'timestamp.extractor',
  'timestamp.field',
  'partition.field.name',
  'locale',
  'timezone',
  'filename.offset.zero.pad.width',
  'behavior.on.null.values',
] as const;

const DYNAMODB_SOURCE_KEYS = ['topic', 'dynamodb.table.name', 'tombstones.on.delete'] as const;
const S3_SOURCE_KEYS = ['topic', 's3.bucket.name', 's3.prefix', 'format.class'] as const;

/** Reads values off the raw map, gathering problems instead of throwing. */
class Reader {
  readonly problems: string[] = [];

  constructor(private readonly raw: RawConnectorConfig) {}

  string(key: string): string | undefined {
    const value = this.raw[key];
    if (value === undefined) return undefined;
    const text = String(value).trim();
    return text === '' ? undefined : text;
  }

  required(key: string): string {
    const value = this.string(key);
    if (value === undefined) this.problems.push(`${key} is required`);
    return value ?? '';
  }

  int(key: string, fallback: number, min: number, max: number, extra: readonly number[] = []): number {
    const text = this.string(key);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || ((n < min || n > max) && !extra.includes(n))) {
      this.problems.push(`${key} must be a whole number from ${min} to ${max}${extra.length > 0 ? ` (or ${extra.join(', ')})` : ''}, got '${text}'`);
      return fallback;
    }
    return n;
  }

  bool(key: string, fallback: boolean): boolean {
    const text = this.string(key);
    if (text === undefined) return fallback;
    if (text === 'true' || text === 'false') return text === 'true';
    this.problems.push(`${key} must be true or false, got '${text}'`);
    return fallback;
  }

  oneOf<T extends string>(key: string, table: Readonly<Record<string, T>>, fallback: T | undefined): T | undefined {
    const text = this.string(key);
    if (text === undefined) {
      if (fallback === undefined) this.problems.push(`${key} is required`);
      return fallback;
    }
    const value = table[text];
    if (value === undefined) this.problems.push(`${key} must be one of ${Object.keys(table).join(', ')}; got '${text}'`);
    return value ?? fallback;
  }

  list(key: string): string[] {
    return (this.string(key) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  }

  unknownKeys(known: readonly string[]): void {
    for (const key of Object.keys(this.raw)) if (!known.includes(key)) this.problems.push(`${key} is not a setting of this connector`);
  }
}

function converter(r: Reader, prefix: 'key.converter' | 'value.converter', fallback: ConverterKind): ConverterConfig {
  const kind = r.oneOf(prefix, CONVERTERS, fallback) ?? fallback;
  const schemasEnable = r.bool(`${prefix}.schemas.enable`, false);
  if (schemasEnable && kind !== 'json') r.problems.push(`${prefix}.schemas.enable applies to the json converter only`);
  return { kind, schemasEnable };
}

function common(r: Reader, name: string): CommonConnectorConfig {
  if (name.length === 0 || name.length > MAX_NAME_CHARS || name.includes('#') || !/^[A-Za-z0-9._-]+$/.test(name)) {
    r.problems.push(`name must be 1 to ${MAX_NAME_CHARS} letters, digits, '.', '_' or '-', got '${name}'`);
  }
  const errorsTolerance = r.oneOf<ErrorTolerance>('errors.tolerance', { none: 'none', all: 'all' }, 'none') ?? 'none';
  const deadLetterTopic = r.string('errors.deadletterqueue.topic.name');
  if (deadLetterTopic !== undefined && errorsTolerance !== 'all') r.problems.push('errors.deadletterqueue.topic.name needs errors.tolerance=all (with none, a failing record stops the task)');
  return {
    name,
    tasksMax: r.int('tasks.max', 1, 1, MAX_TASKS),
    keyConverter: converter(r, 'key.converter', 'string'),
    valueConverter: converter(r, 'value.converter', 'json'),
    errorsTolerance,
    ...(deadLetterTopic !== undefined ? { deadLetterTopic } : {}),
    deadLetterContextHeaders: r.bool('errors.deadletterqueue.context.headers.enable', false),
    errorsLogEnable: r.bool('errors.log.enable', false),
  };
}

function partitioner(r: Reader): PartitionerConfig {
  const kind = r.oneOf('partitioner.class', PARTITIONERS, 'default') ?? 'default';
  const timestampExtractor = r.oneOf<TimestampExtractor>('timestamp.extractor', { Record: 'Record', RecordField: 'RecordField' }, 'Record') ?? 'Record';
  const timestampField = r.string('timestamp.field');
  if (timestampExtractor === 'RecordField' && timestampField === undefined) r.problems.push('timestamp.field is required with timestamp.extractor=RecordField');
  const timezone = r.string('timezone');
  if (timezone !== undefined && timezone !== 'UTC') r.problems.push(`timezone must be UTC (the only one supported), got '${timezone}'`);
  const fieldNames = r.list('partition.field.name');
  const pathFormat = r.string('path.format');
  const durationText = r.string('partition.duration.ms');
  const partitionDurationMs = durationText === undefined ? undefined : r.int('partition.duration.ms', 0, 1, Number.MAX_SAFE_INTEGER);
  if (kind === 'time') {
    if (pathFormat === undefined) r.problems.push('path.format is required with the time-based partitioner');
    if (durationText === undefined) r.problems.push('partition.duration.ms is required with the time-based partitioner');
  }
  if (kind === 'field' && fieldNames.length === 0) r.problems.push('partition.field.name is required with the field partitioner');
  return {
    kind,
    ...(pathFormat !== undefined ? { pathFormat } : {}),
    ...(partitionDurationMs !== undefined ? { partitionDurationMs } : {}),
    timestampExtractor,
    ...(timestampField !== undefined ? { timestampField } : {}),
    fieldNames,
  };
}

function s3Sink(r: Reader, base: CommonConnectorConfig): S3SinkConfig {
  r.unknownKeys([...COMMON_KEYS, ...S3_SINK_KEYS]);
  const topics = r.list('topics');
  const topicsRegex = r.string('topics.regex');
  if ((topics.length > 0) === (topicsRegex !== undefined)) r.problems.push('give exactly one of topics and topics.regex');
  if (topicsRegex !== undefined) {
    try {
      new RegExp(topicsRegex);
    } catch {
      r.problems.push(`topics.regex is not a regular expression: '${topicsRegex}'`);
    }
  }
  for (const topic of topics) if (topic.length > MAX_NAME_CHARS) r.problems.push(`topic name '${topic}' is longer than ${MAX_NAME_CHARS} characters`);
  if (base.deadLetterTopic !== undefined && topics.includes(base.deadLetterTopic)) r.problems.push('errors.deadletterqueue.topic.name must not be one of the topics the sink reads');
  const parts = partitioner(r);
  const valueFieldsNeeded = parts.kind === 'field' || parts.timestampExtractor === 'RecordField';
  if (valueFieldsNeeded && base.valueConverter.kind !== 'json') r.problems.push('the field partitioner and timestamp.extractor=RecordField read fields of the value: value.converter must be json');
  return {
    ...base,
    connectorClass: 'S3Sink',
    topics,
    ...(topicsRegex !== undefined ? { topicsRegex } : {}),
    bucket: r.required('s3.bucket.name'),
    topicsDir: (r.string('topics.dir') ?? 'topics').replace(/^\/+|\/+$/g, ''),
    format: r.oneOf<SinkFormat>('format.class', FORMATS, 'json') ?? 'json',
    flushSize: r.int('flush.size', 0, 1, MAX_FLUSH_SIZE),
    rotateIntervalMs: r.int('rotate.interval.ms', -1, 1, Number.MAX_SAFE_INTEGER, [-1]),
    partitioner: parts,
    offsetZeroPadWidth: r.int('filename.offset.zero.pad.width', 10, 1, 20),
    nullValues: r.oneOf<'fail' | 'ignore'>('behavior.on.null.values', { fail: 'fail', ignore: 'ignore' }, 'fail') ?? 'fail',
  };
}

function dynamoDbSource(r: Reader, base: CommonConnectorConfig): DynamoDbSourceConfig {
  r.unknownKeys([...COMMON_KEYS, ...DYNAMODB_SOURCE_KEYS]);
  const topic = r.required('topic');
  if (topic.length > MAX_NAME_CHARS) r.problems.push(`topic name '${topic}' is longer than ${MAX_NAME_CHARS} characters`);
  for (const [which, c] of [['key.converter', base.keyConverter], ['value.converter', base.valueConverter]] as const) {
    if (c.kind === 'bytes') r.problems.push(`${which} must be json or string: a change record is JSON text`);
  }
  if (base.deadLetterTopic !== undefined) r.problems.push('errors.deadletterqueue.topic.name is for sinks (as in Kafka Connect)');
  return { ...base, connectorClass: 'DynamoDbSource', topic, table: r.required('dynamodb.table.name'), tombstonesOnDelete: r.bool('tombstones.on.delete', true) };
}

function s3Source(r: Reader, base: CommonConnectorConfig): S3SourceConfig {
  r.unknownKeys([...COMMON_KEYS, ...S3_SOURCE_KEYS]);
  const topic = r.required('topic');
  if (topic.length > MAX_NAME_CHARS) r.problems.push(`topic name '${topic}' is longer than ${MAX_NAME_CHARS} characters`);
  if (base.deadLetterTopic !== undefined) r.problems.push('errors.deadletterqueue.topic.name is for sinks (as in Kafka Connect)');
  return {
    ...base,
    connectorClass: 'S3Source',
    topic,
    bucket: r.required('s3.bucket.name'),
    prefix: r.string('s3.prefix') ?? '',
    format: r.oneOf<S3SourceFormat>('format.class', SOURCE_FORMATS, 'lines') ?? 'lines',
  };
}

/** Parses and validates a connector's config; one InvalidConfig error naming every problem. */
export function parseConnectorConfig(raw: RawConnectorConfig): ConnectorConfig {
  const r = new Reader(raw);
  const name = r.required('name');
  const connectorClass = r.oneOf('connector.class', CONNECTOR_CLASSES, undefined);
  const base = common(r, name);
  if (r.string('flush.size') === undefined && connectorClass === 'S3Sink') r.problems.push('flush.size is required');
  const config =
    connectorClass === 'S3Sink' ? s3Sink(r, base) : connectorClass === 'DynamoDbSource' ? dynamoDbSource(r, base) : connectorClass === 'S3Source' ? s3Source(r, base) : undefined;
  if (r.problems.length > 0 || config === undefined) {
    throw new KafkalessError('InvalidConfig', `Invalid connector config${name !== '' ? ` '${name}'` : ''}:\n- ${r.problems.join('\n- ')}`, { context: { connector: name } });
  }
  return Object.freeze(config);
}

/** The task that owns a Kafka partition: Connect spreads a sink's partitions over `tasks.max` tasks. */
export function taskOf(config: CommonConnectorConfig, partition: number): number {
  return partition % config.tasksMax;
}

/** A sink's consumer group (and its subscription's name), as Kafka Connect names a sink's group: `connect-<name>`. */
export function sinkGroupId(name: string): string {
  return `connect-${name}`;
}

/** The topics a connector reads (a sink) or writes (a source). */
export function connectorTopics(config: ConnectorConfig): { readonly topics: readonly string[]; readonly topicsRegex?: string } {
  if (config.connectorClass !== 'S3Sink') return { topics: [config.topic] };
  return { topics: config.topics, ...(config.topicsRegex !== undefined ? { topicsRegex: config.topicsRegex } : {}) };
}

/**
 * A connector as `kafkaless connect` manages it: the construct writes these
 * to a deployed stack's Connectors output, the local stack to its state file.
 */
export function declaredConnector(config: ConnectorConfig, functionName: string): LocalConnector {
  return { name: config.name, connectorClass: config.connectorClass, ...connectorTopics(config), tasksMax: config.tasksMax, groupId: sinkGroupId(config.name), functionName };
}
