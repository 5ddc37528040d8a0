/**
 * A call to the produce function that is not a batch (initProducerId, the
 * transaction actions): retried on retriable errors with the producer's
 * retry.backoff.ms / retry.backoff.max.ms, as Kafka's producer retries its
 * coordinator requests.
 */
import { InfrastructureError, KafkalessError } from '../../errors.js';
import { retry } from '../../retry.js';
import { call, type Transport } from '../transport.js';
import type { ResolvedProducerConfig } from './config.js';

const ATTEMPTS = 10;

export function isRetriableFailure(err: unknown): boolean {
  return (err instanceof KafkalessError || err instanceof InfrastructureError) && err.retriable;
}

export function produceCall<T>(transport: Transport, request: object, config: ResolvedProducerConfig): Promise<T> {
  return retry(() => call<T>(transport, 'produce', request), {
    maxAttempts: ATTEMPTS,
    initialDelayMs: config.retryBackoffMs,
    maxDelayMs: config.retryBackoffMaxMs,
    random: config.random,
    isRetriable: isRetriableFailure,
  });
}
