/**
 * How the gateway proof's Kafka clients are made: kafkajs and
 * @platformatic/kafka, told both gateways (in an order that alternates from
 * client to client), with retries enough to ride out a gateway's restart
 * and request timeouts longer than a gateway takes to answer under faults
 * (a client that gave up on a request the gateway still carries out would
 * record as failed a send that lands later).
 */
import type { BaseOptions } from '@platformatic/kafka';
import { Kafka, logLevel, type KafkaConfig, type RetryOptions } from 'kafkajs';

process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

export const KAFKAJS_RETRY: RetryOptions = { retries: 12, initialRetryTime: 50, maxRetryTime: 1_000 };
const REQUEST_TIMEOUT_MS = 90_000;

/** Gateways in the order this client is told them: rotated by `k`, so clients start on different ones. */
export function brokersFor(brokers: readonly string[], k: number): string[] {
  return brokers.map((_, i) => brokers[(i + k) % brokers.length]!);
}

export function kafkajsClient(clientId: string, brokers: readonly string[], k: number, extra: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId,
    brokers: brokersFor(brokers, k),
    logLevel: logLevel.NOTHING,
    retry: KAFKAJS_RETRY,
    requestTimeout: REQUEST_TIMEOUT_MS,
    connectionTimeout: 3_000,
    ...extra,
  });
}

export function platformaticOptions(clientId: string, brokers: readonly string[], k: number): BaseOptions {
  return { clientId, bootstrapBrokers: brokersFor(brokers, k), retries: 20, retryDelay: 100, timeout: REQUEST_TIMEOUT_MS };
}

/** A client error's name as the history records it: Kafka's error type where the client gives one. */
export function clientError(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const e = err as { type?: unknown; name?: unknown; code?: unknown };
    if (typeof e.type === 'string') return e.type;
    if (typeof e.code === 'string') return e.code;
    if (typeof e.name === 'string') return e.name;
  }
  return String(err);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
