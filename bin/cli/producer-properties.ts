/**
 * The console producer's producer configs, as Kafka's ConsoleProducer
 * merges them: `--producer.config FILE`, then `--producer-property k=v`
 * over it, then the tool's own flags when given explicitly; a config none
 * of them sets takes the console producer's default (acks=all,
 * linger.ms=1000, batch.size=16384), not the library's.
 */
import type { ProducerConfig } from '../../lib/client/producer/config.js';
import { partitioners } from '../../lib/client/partitioners/index.js';
import { COMPRESSION_TYPES } from '../../lib/log/index.js';
import { CliUsageError } from './connect.js';

/** Kafka's ConsoleProducer defaults: --timeout 1000 (linger.ms), --batch-size / --max-partition-memory-bytes 16384 (batch.size), --request-required-acks -1. */
export const CONSOLE_PRODUCER_DEFAULTS: Readonly<Record<string, string>> = { acks: 'all', 'linger.ms': '1000', 'batch.size': '16384' };

const NUMERIC = [
  'linger.ms',
  'batch.size',
  'buffer.memory',
  'max.block.ms',
  'max.in.flight.requests.per.connection',
  'delivery.timeout.ms',
  'retry.backoff.ms',
  'retry.backoff.max.ms',
  'max.request.size',
  'metadata.max.age.ms',
] as const;

/** Kafka producer configs that have no meaning here (connection and serializer settings): ignored with a note. */
const IGNORED = /^(bootstrap\.servers|client\.id|key\.serializer|value\.serializer|security\.protocol|sasl\..*|ssl\..*|request\.timeout\.ms|retries|send\.buffer\.bytes|receive\.buffer\.bytes)$/;

export interface ProducerSettings {
  readonly config: ProducerConfig;
  /** Configs that were ignored, for a note on stderr. */
  readonly ignored: readonly string[];
}

/** `layers` from lowest to highest precedence, each a name→value map. */
export function producerSettings(layers: readonly ReadonlyMap<string, string>[]): ProducerSettings {
  const merged = new Map(Object.entries(CONSOLE_PRODUCER_DEFAULTS));
  for (const layer of layers) for (const [k, v] of layer) merged.set(k, v);
  const config: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [name, value] of merged) {
    if ((NUMERIC as readonly string[]).includes(name)) config[name] = number(name, value);
    else if (name === 'acks') config.acks = acks(value);
    else if (name === 'compression.type') config['compression.type'] = compression(value);
    else if (name === 'enable.idempotence') config['enable.idempotence'] = bool(name, value);
    else if (name === 'partitioner') config.partitioner = partitioner(value);
    else if (IGNORED.test(name)) ignored.push(name);
    else throw new CliUsageError(`Unknown producer config '${name}'; this producer takes acks, compression.type, enable.idempotence, partitioner, ${NUMERIC.join(', ')}`);
  }
  return { config: config as ProducerConfig, ignored };
}

function number(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new CliUsageError(`${name} takes a number, got '${value}'`);
  return n;
}

function bool(name: string, value: string): boolean {
  if (/^true$/i.test(value)) return true;
  if (/^false$/i.test(value)) return false;
  throw new CliUsageError(`${name} takes true or false, got '${value}'`);
}

function acks(value: string): -1 | 0 | 1 | 'all' {
  if (value === 'all' || value === '-1') return -1;
  if (value === '1') return 1;
  if (value === '0') return 0;
  throw new CliUsageError(`acks takes all, -1, 1 or 0, got '${value}'`);
}

function compression(value: string): NonNullable<ProducerConfig['compression.type']> {
  if (value === 'uncompressed') return 'uncompressed';
  if (!(COMPRESSION_TYPES as readonly string[]).includes(value)) throw new CliUsageError(`compression.type takes one of ${COMPRESSION_TYPES.join(', ')}, got '${value}'`);
  return value as NonNullable<ProducerConfig['compression.type']>;
}

function partitioner(value: string): string {
  if (!Object.hasOwn(partitioners, value)) throw new CliUsageError(`partitioner takes one of ${Object.keys(partitioners).join(', ')}, got '${value}'`);
  return value;
}
