/**
 * Starting subscriptions on the records their topics already hold, without
 * an append and without polling: the trigger, given a wake event (from the
 * stack's deploy-time custom resource on AWS, from the local stack when it
 * starts serving), wakes the head of every partition of every subscribed
 * topic (lib/storage/head-wake.ts). Each wake is a head change on the
 * partitions table's stream, so delivery then runs as for an append — on
 * the stream mapping, under the partition's lease, from the committed offset
 * or the starting position, retried by the mapping until it finishes.
 * Caught-up subscriptions find nothing to deliver.
 */
import { call } from '../client/transport.js';
import { KafkalessError } from '../errors.js';
import { mapLimit } from '../map-limit.js';
import type { MetadataReply } from '../protocol/log-replies.js';
import type { TriggerDeps } from './deps.js';

/** What the local stack invokes the trigger with (and what the custom resource's handler does). */
export const WAKE_EVENT = { kafkaless: 'wake-subscriptions' } as const;

/** Head updates in flight at once. */
const WAKE_CONCURRENCY = 20;

export function isWakeEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as { kafkaless?: unknown }).kafkaless === WAKE_EVENT.kafkaless;
}

/** Wakes every partition of `topics` that holds a head; topics that do not exist (yet) are skipped. The number woken. */
export async function wakeSubscribedPartitions(deps: TriggerDeps, topics: readonly string[]): Promise<number> {
  const wakeHead = deps.wakeHead;
  if (wakeHead === undefined) throw new Error('The trigger cannot wake partitions: it was given no wakeHead');
  let woken = 0;
  for (const topic of topics) {
    const reply = await call<MetadataReply>(deps.broker, 'fetch', { action: 'metadata', topics: [topic] }).catch(unknownTopic);
    for (const t of reply?.topics ?? []) {
      const results = await mapLimit(Array.from({ length: t.partitions }, (_, partition) => partition), WAKE_CONCURRENCY, (partition) => wakeHead(t.topicId, partition));
      woken += results.filter(Boolean).length;
    }
  }
  deps.log('info', 'subscriptions woken', { topics: topics.length, partitions: woken });
  return woken;
}

function unknownTopic(err: unknown): undefined {
  if (err instanceof KafkalessError && err.code === 'UnknownTopicOrPartition') return undefined;
  throw err;
}
