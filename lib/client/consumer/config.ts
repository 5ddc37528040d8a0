/** Consumer configuration, under Kafka's names and with Kafka's defaults. */
import { KafkalessError } from '../../errors.js';
import { DEFAULT_FETCH_MAX_BYTES, DEFAULT_PARTITION_FETCH_BYTES, MAX_FETCH_BYTES } from '../../limits.js';

export type OffsetResetStrategy = 'earliest' | 'latest' | 'none';

export interface ConsumerConfig {
  readonly 'auto.offset.reset'?: OffsetResetStrategy;
  readonly 'fetch.max.bytes'?: number;
  readonly 'max.partition.fetch.bytes'?: number;
  readonly 'fetch.max.wait.ms'?: number;
  readonly 'fetch.min.bytes'?: number;
  readonly 'max.poll.records'?: number;
  /** Both levels see only committed data here (see docs/ARCHITECTURE.md). */
  readonly 'isolation.level'?: 'read_committed' | 'read_uncommitted';
}

export interface ResolvedConsumerConfig {
  readonly autoOffsetReset: OffsetResetStrategy;
  readonly fetchMaxBytes: number;
  readonly maxPartitionFetchBytes: number;
  readonly fetchMaxWaitMs: number;
  readonly fetchMinBytes: number;
  readonly maxPollRecords: number;
}

export function resolveConsumerConfig(config: ConsumerConfig = {}): ResolvedConsumerConfig {
  const reset = config['auto.offset.reset'] ?? 'latest';
  if (!['earliest', 'latest', 'none'].includes(reset)) {
    throw new KafkalessError('InvalidConfig', `Invalid value ${reset} for configuration auto.offset.reset: use earliest, latest or none`);
  }
  return Object.freeze({
    autoOffsetReset: reset,
    fetchMaxBytes: Math.min(config['fetch.max.bytes'] ?? DEFAULT_FETCH_MAX_BYTES, MAX_FETCH_BYTES),
    maxPartitionFetchBytes: Math.min(config['max.partition.fetch.bytes'] ?? DEFAULT_PARTITION_FETCH_BYTES, MAX_FETCH_BYTES),
    fetchMaxWaitMs: Math.min(config['fetch.max.wait.ms'] ?? 500, 20_000),
    fetchMinBytes: config['fetch.min.bytes'] ?? 1,
    maxPollRecords: config['max.poll.records'] ?? 500,
  });
}
