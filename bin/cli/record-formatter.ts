/**
 * Kafka's console consumer's DefaultMessageFormatter: which fields a record
 * prints (print.timestamp, print.partition, print.offset, print.headers,
 * print.key, print.value), in that order, joined by key.separator, ended by
 * line.separator, headers as `k:v` joined by headers.separator, null as
 * null.literal — and `--formatter json`, one JSON object per line.
 */
import type { ConsumerRecord } from '../../lib/client/consumer/consumer.js';
import { CliUsageError } from './connect.js';
import { booleanProperty, type Properties } from './properties.js';

export type TimestampType = 'CreateTime' | 'LogAppendTime';

export interface FormatterConfig {
  readonly json: boolean;
  readonly printTimestamp: boolean;
  readonly printPartition: boolean;
  readonly printOffset: boolean;
  readonly printHeaders: boolean;
  readonly printKey: boolean;
  readonly printValue: boolean;
  readonly keySeparator: string;
  readonly lineSeparator: string;
  readonly headersSeparator: string;
  readonly nullLiteral: string;
}

const FORMATTER_PROPERTIES = new Set([
  'print.timestamp',
  'print.partition',
  'print.offset',
  'print.headers',
  'print.key',
  'print.value',
  'key.separator',
  'line.separator',
  'headers.separator',
  'null.literal',
]);

export const FORMATTERS = ['default', 'json'] as const;

/** Today's short flags are aliases: --print-key is print.key=true, --print-offset is print.partition and print.offset. */
export interface FormatterFlags {
  readonly formatter?: string;
  readonly printKey?: boolean;
  readonly printOffset?: boolean;
}

export function formatterConfig(props: Properties, flags: FormatterFlags, json: boolean): FormatterConfig {
  for (const name of props.keys()) {
    if (!FORMATTER_PROPERTIES.has(name)) throw new CliUsageError(`Unknown --property ${name}; the formatter takes ${[...FORMATTER_PROPERTIES].join(', ')}`);
  }
  const formatter = flags.formatter ?? 'default';
  if (!(FORMATTERS as readonly string[]).includes(formatter)) throw new CliUsageError(`--formatter takes ${FORMATTERS.join(' or ')}, got '${formatter}'`);
  return Object.freeze({
    json: json || formatter === 'json',
    printTimestamp: booleanProperty(props, 'print.timestamp', false),
    printPartition: booleanProperty(props, 'print.partition', flags.printOffset === true),
    printOffset: booleanProperty(props, 'print.offset', flags.printOffset === true),
    printHeaders: booleanProperty(props, 'print.headers', false),
    printKey: booleanProperty(props, 'print.key', flags.printKey === true),
    printValue: booleanProperty(props, 'print.value', true),
    keySeparator: props.get('key.separator') ?? '\t',
    lineSeparator: props.get('line.separator') ?? '\n',
    headersSeparator: props.get('headers.separator') ?? ',',
    nullLiteral: props.get('null.literal') ?? 'null',
  });
}

/** One record as the console consumer prints it, line separator included. */
export function formatRecord(r: ConsumerRecord, config: FormatterConfig, timestampType: TimestampType = 'CreateTime'): string {
  if (config.json) return formatJson(r) + '\n';
  const text = (b: Buffer | null): string => (b === null ? config.nullLiteral : b.toString('utf8'));
  const fields: string[] = [];
  if (config.printTimestamp) fields.push(`${timestampType}:${r.timestamp}`);
  if (config.printPartition) fields.push(`Partition:${r.partition}`);
  if (config.printOffset) fields.push(`Offset:${r.offset}`);
  if (config.printHeaders) fields.push(r.headers.length === 0 ? 'NO_HEADERS' : r.headers.map((h) => `${h.key}:${text(h.value)}`).join(config.headersSeparator));
  if (config.printKey) fields.push(text(r.key));
  if (config.printValue) fields.push(text(r.value));
  return fields.join(config.keySeparator) + config.lineSeparator;
}

function formatJson(r: ConsumerRecord): string {
  return JSON.stringify({
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    timestamp: r.timestamp,
    key: r.key?.toString('utf8') ?? null,
    value: r.value?.toString('utf8') ?? null,
    headers: Object.fromEntries(r.headers.map((h) => [h.key, h.value?.toString('utf8') ?? null])),
  });
}
