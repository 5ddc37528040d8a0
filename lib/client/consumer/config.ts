/** Consumer configuration, under Kafka's names and with Kafka's defaults. */
import { KafkalessError } from '../../errors.js';
import { DEFAULT_FETCH_MAX_BYTES, DEFAULT_PARTITION_FETCH_BYTES, MAX_FETCH_BYTES, MAX_FETCH_WAIT_MS } from '../../limits.js';

export type OffsetResetStrategy = 'earliest' | 'latest' | 'none';
export type IsolationLevel = 'read_committed' | 'read_uncommitted';

export interface ConsumerConfig {
  readonly 'auto.offset.reset'?: OffsetResetStrategy;
  readonly 'fetch.max.bytes'?: number;
  readonly 'max.partition.fetch.bytes'?: number;
  readonly 'fetch.max.wait.ms'?: number;
  readonly 'fetch.min.bytes'?: number;
  readonly 'max.poll.records'?: number;
  /**
   * Default read_committed. Both levels read the same records here: a
   * transaction's records enter the log only when it commits, so there is
   * nothing uncommitted to read.
   */
  readonly 'isolation.level'?: IsolationLevel;
  /** The consume loop's first wait after a retriable failure; doubles, with jitter, up to retry.backoff.max.ms. Default 100. */
  readonly 'retry.backoff.ms'?: number;
  /** Default 1000. */
  readonly 'retry.backoff.max.ms'?: number;
}

export interface ResolvedConsumerConfig {
  readonly autoOffsetReset: OffsetResetStrategy;
  readonly fetchMaxBytes: number;
  readonly maxPartitionFetchBytes: number;
  readonly fetchMaxWaitMs: number;
  readonly fetchMinBytes: number;
  readonly maxPollRecords: number;
  readonly isolationLevel: IsolationLevel;
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
}

function wholeMs(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 0 || v > 3_600_000) {
    throw new KafkalessError('InvalidConfig', `Invalid value ${v} for configuration ${name}: a whole number of ms from 0 to 3600000`);
  }
  return v;
}

export function resolveConsumerConfig(config: ConsumerConfig = {}): ResolvedConsumerConfig {
  const reset = config['auto.offset.reset'] ?? 'latest';
  if (!['earliest', 'latest', 'none'].includes(reset)) {
    throw new KafkalessError('InvalidConfig', `Invalid value ${reset} for configuration auto.offset.reset: use earliest, latest or none`);
  }
  const isolationLevel = config['isolation.level'] ?? 'read_committed';
  if (!['read_committed', 'read_uncommitted'].includes(isolationLevel)) {
    throw new KafkalessError('InvalidConfig', `Invalid value ${String(isolationLevel)} for configuration isolation.level: use read_committed or read_uncommitted`);
  }
  const retryBackoffMs = wholeMs('retry.backoff.ms', config['retry.backoff.ms'], 100);
  const retryBackoffMaxMs = wholeMs('retry.backoff.max.ms', config['retry.backoff.max.ms'], 1_000);
  return Object.freeze({
    autoOffsetReset: reset,
    fetchMaxBytes: Math.min(config['fetch.max.bytes'] ?? DEFAULT_FETCH_MAX_BYTES, MAX_FETCH_BYTES),
    maxPartitionFetchBytes: Math.min(config['max.partition.fetch.bytes'] ?? DEFAULT_PARTITION_FETCH_BYTES, MAX_FETCH_BYTES),
    fetchMaxWaitMs: Math.min(config['fetch.max.wait.ms'] ?? 500, MAX_FETCH_WAIT_MS),
    fetchMinBytes: config['fetch.min.bytes'] ?? 1,
    maxPollRecords: config['max.poll.records'] ?? 500,
    isolationLevel,
    retryBackoffMs,
    retryBackoffMaxMs: Math.max(retryBackoffMs, retryBackoffMaxMs),
  });
}
