/**
 * A consumer's instrumentation events, under kafkajs's names and shape:
 * `consumer.on(consumer.events.CRASH, ({ payload: { error, groupId, restart } }) => …)`.
 * A listener that throws is ignored: it cannot stop the consume loop.
 */
import type { OffsetsByTopicPartition, TopicPartition } from './records.js';

export const CONSUMER_EVENTS = Object.freeze({
  CONNECT: 'consumer.connect',
  DISCONNECT: 'consumer.disconnect',
  STOP: 'consumer.stop',
  CRASH: 'consumer.crash',
  /** kafkaless's own: a failure the loop survives, retried after `delayMs`. */
  RETRY: 'consumer.retry',
  GROUP_JOIN: 'consumer.group_join',
  REBALANCING: 'consumer.rebalancing',
  FETCH_START: 'consumer.fetch_start',
  FETCH: 'consumer.fetch',
  START_BATCH_PROCESS: 'consumer.start_batch_process',
  END_BATCH_PROCESS: 'consumer.end_batch_process',
  COMMIT_OFFSETS: 'consumer.commit_offsets',
} as const);

type Events = typeof CONSUMER_EVENTS;
export type ConsumerEventName = Events[keyof Events];

interface BatchProcess {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: string;
  readonly offsetLag: string;
  readonly offsetLagLow: string;
  readonly batchSize: number;
  readonly firstOffset: string | null;
  readonly lastOffset: string;
}

/** What each event's `payload` holds. */
export interface ConsumerEventPayloads {
  'consumer.connect': Record<string, never>;
  'consumer.disconnect': Record<string, never>;
  'consumer.stop': Record<string, never>;
  /** `restart` is always false: the loop already retried what could be retried; a crash is final. */
  'consumer.crash': { readonly error: unknown; readonly groupId: string | undefined; readonly restart: boolean };
  'consumer.retry': { readonly error: unknown; readonly groupId: string | undefined; readonly attempt: number; readonly delayMs: number };
  'consumer.group_join': { readonly groupId: string; readonly memberId: string; readonly memberEpoch: number; readonly duration: number };
  'consumer.rebalancing': { readonly groupId: string; readonly memberId: string; readonly assigned: TopicPartition[]; readonly revoked: TopicPartition[] };
  'consumer.fetch_start': Record<string, never>;
  'consumer.fetch': { readonly numberOfBatches: number; readonly duration: number };
  'consumer.start_batch_process': BatchProcess;
  'consumer.end_batch_process': BatchProcess & { readonly duration: number };
  'consumer.commit_offsets': { readonly groupId: string; readonly memberId: string; readonly groupGenerationId: number; readonly topics: OffsetsByTopicPartition['topics'] };
}

export interface ConsumerEvent<E extends ConsumerEventName> {
  readonly id: number;
  readonly type: E;
  readonly timestamp: number;
  readonly payload: ConsumerEventPayloads[E];
}

export type ConsumerEventListener<E extends ConsumerEventName> = (event: ConsumerEvent<E>) => void;

const NAMES = new Set<string>(Object.values(CONSUMER_EVENTS));
let nextId = 0;

export class ConsumerInstrumentation {
  private readonly listeners = new Map<ConsumerEventName, Set<ConsumerEventListener<never>>>();

  /** Adds a listener; returns the function that removes it. */
  on<E extends ConsumerEventName>(type: E, listener: ConsumerEventListener<E>): () => void {
    if (!NAMES.has(type)) throw new TypeError(`Unknown consumer event '${String(type)}'; use one of ${[...NAMES].join(', ')}`);
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener as ConsumerEventListener<never>);
    this.listeners.set(type, set);
    return () => void set.delete(listener as ConsumerEventListener<never>);
  }

  has(type: ConsumerEventName): boolean {
    return (this.listeners.get(type)?.size ?? 0) > 0;
  }

  emit<E extends ConsumerEventName>(type: E, payload: ConsumerEventPayloads[E]): void {
    const set = this.listeners.get(type);
    if (set === undefined || set.size === 0) return;
    const event: ConsumerEvent<E> = { id: nextId++, type, timestamp: Date.now(), payload };
    for (const listener of [...set]) {
      try {
        (listener as ConsumerEventListener<E>)(event);
      } catch {
        // A listener's failure is its own.
      }
    }
  }
}
