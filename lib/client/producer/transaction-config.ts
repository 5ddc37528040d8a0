/** A transactional producer's configuration, under Kafka's names. */
import { KafkalessError } from '../../errors.js';
import type { ProducerConfig, ResolvedProducerConfig } from './config.js';

export interface TransactionalProducerConfig extends ProducerConfig {
  /** Makes the producer transactional: one live instance per id; a new one fences older ones. */
  readonly 'transactional.id'?: string;
  /** An ONGOING transaction older than this is aborted (default 60000, at most 900000). */
  readonly 'transaction.timeout.ms'?: number;
}

export interface ResolvedTransactionConfig {
  readonly transactionalId: string;
  readonly transactionTimeoutMs: number;
}

/** The transaction settings, or undefined for a producer without `transactional.id`. */
export function resolveTransactionConfig(config: TransactionalProducerConfig, producer: ResolvedProducerConfig): ResolvedTransactionConfig | undefined {
  const id = config['transactional.id'];
  if (id === undefined) return undefined;
  if (typeof id !== 'string' || id.length === 0 || id.length > 255) {
    throw new KafkalessError('InvalidConfig', `Invalid value for configuration transactional.id: a non-empty string of at most 255 characters`);
  }
  if (!producer.idempotent || producer.acks !== -1) {
    throw new KafkalessError('InvalidConfig', 'A transactional producer needs enable.idempotence=true and acks=all');
  }
  return Object.freeze({ transactionalId: id, transactionTimeoutMs: config['transaction.timeout.ms'] ?? 60_000 });
}
