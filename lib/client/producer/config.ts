/**
 * Producer configuration, under Kafka's names and with Kafka's defaults.
 * Read once into a frozen object.
 */
import { KafkalessError } from '../../errors.js';
import type { CompressionType } from '../../log/index.js';
import type { Partitioner, PartitionerName } from '../partitioners/index.js';
import { MAX_REQUEST_SIZE_BYTES } from '../../limits.js';

export type Acks = -1 | 0 | 1 | 'all';

export interface ProducerConfig {
  /** -1/'all' (default) and 1 wait for the commit; 0 does not wait. */
  readonly acks?: Acks;
  readonly 'linger.ms'?: number;
  readonly 'batch.size'?: number;
  readonly 'buffer.memory'?: number;
  readonly 'max.block.ms'?: number;
  readonly 'max.in.flight.requests.per.connection'?: number;
  readonly 'enable.idempotence'?: boolean;
  readonly 'compression.type'?: CompressionType | 'uncompressed';
  readonly 'delivery.timeout.ms'?: number;
  readonly 'retry.backoff.ms'?: number;
  readonly 'retry.backoff.max.ms'?: number;
  readonly 'max.request.size'?: number;
  readonly 'metadata.max.age.ms'?: number;
  readonly partitioner?: PartitionerName | Partitioner;
  /** Injected randomness (partitioner, backoff jitter), for replayable runs. */
  readonly random?: () => number;
}

export interface ResolvedProducerConfig {
  readonly acks: -1 | 0 | 1;
  readonly lingerMs: number;
  readonly batchSizeBytes: number;
  readonly bufferMemoryBytes: number;
  readonly maxBlockMs: number;
  readonly maxInFlight: number;
  readonly idempotent: boolean;
  readonly compression: CompressionType;
  readonly deliveryTimeoutMs: number;
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
  readonly maxRequestSizeBytes: number;
  readonly metadataMaxAgeMs: number;
  readonly partitioner: PartitionerName | Partitioner;
  readonly random: () => number;
}

function bounded(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < min || v > max) {
    throw new KafkalessError('InvalidConfig', `Invalid value ${v} for configuration ${name}: must be between ${min} and ${max}`);
  }
  return v;
}

export function resolveProducerConfig(config: ProducerConfig = {}): ResolvedProducerConfig {
  const acks = config.acks === 'all' || config.acks === undefined ? -1 : config.acks;
  if (acks !== -1 && acks !== 0 && acks !== 1) throw new KafkalessError('InvalidConfig', `Invalid value ${String(config.acks)} for configuration acks: use all, -1, 1 or 0`);
  if (config['enable.idempotence'] === true && acks === 0) {
    throw new KafkalessError('InvalidConfig', 'enable.idempotence requires acks=all (or 1); with acks=0 the producer cannot know what was appended');
  }
  const compression = config['compression.type'] === 'uncompressed' ? 'none' : (config['compression.type'] ?? 'none');
  return Object.freeze({
    acks,
    lingerMs: bounded('linger.ms', config['linger.ms'], 5, 0, 60_000),
    batchSizeBytes: bounded('batch.size', config['batch.size'], 16_384, 0, MAX_REQUEST_SIZE_BYTES),
    bufferMemoryBytes: bounded('buffer.memory', config['buffer.memory'], 33_554_432, 1024, 2 ** 40),
    maxBlockMs: bounded('max.block.ms', config['max.block.ms'], 60_000, 0, 2 ** 31),
    maxInFlight: bounded('max.in.flight.requests.per.connection', config['max.in.flight.requests.per.connection'], 5, 1, 5),
    idempotent: config['enable.idempotence'] ?? acks !== 0,
    compression,
    deliveryTimeoutMs: bounded('delivery.timeout.ms', config['delivery.timeout.ms'], 120_000, 1, 2 ** 31),
    retryBackoffMs: bounded('retry.backoff.ms', config['retry.backoff.ms'], 100, 0, 60_000),
    retryBackoffMaxMs: bounded('retry.backoff.max.ms', config['retry.backoff.max.ms'], 1_000, 0, 60_000),
    maxRequestSizeBytes: bounded('max.request.size', config['max.request.size'], MAX_REQUEST_SIZE_BYTES, 1024, MAX_REQUEST_SIZE_BYTES),
    metadataMaxAgeMs: bounded('metadata.max.age.ms', config['metadata.max.age.ms'], 300_000, 0, 2 ** 31),
    partitioner: config.partitioner ?? 'default',
    random: config.random ?? Math.random,
  });
}
