/**
 * The trigger function: a DynamoDB Streams batch of partition-head changes
 * in, every subscription of each changed partition delivered (in parallel
 * across partitions, in order within each), and back the stream records
 * whose delivery could not finish (ReportBatchItemFailures on the stream's
 * event source mapping), so Lambda hands them again and nothing waits for
 * data that already arrived. A wake event (wake-subscriptions.ts) wakes the
 * heads of every subscribed partition instead, so a new subscription starts
 * on the records already there.
 */
import { call } from '../client/transport.js';
import { KafkalessError } from '../errors.js';
import { mapLimit } from '../map-limit.js';
import type { SubscriptionSpec } from '../names.js';
import type { AdminReplies } from '../protocol/admin-replies.js';
import type { MetadataReply } from '../protocol/log-replies.js';
import { deliverPartition, type DeliveryReport } from './deliver-partition.js';
import type { TriggerDeps } from './deps.js';
import { headChanges, type HeadChange } from './head-changes.js';
import { subscribesTo } from './subscriptions.js';
import { isWakeEvent, wakeSubscribedPartitions } from './wake-subscriptions.js';

export interface StreamBatchResponse {
  readonly batchItemFailures: readonly { readonly itemIdentifier: string }[];
}

export interface TriggerContext {
  getRemainingTimeInMillis(): number;
}

interface Wake {
  readonly spec: SubscriptionSpec;
  readonly change: HeadChange;
  readonly topic: string;
}

export type TriggerHandler = (event: unknown, context?: TriggerContext) => Promise<StreamBatchResponse>;

/** The trigger's own timeout when no context says how long is left. */
const DEFAULT_BUDGET_MS = 60_000;

export function createTriggerHandler(makeDeps: () => TriggerDeps, subscriptions: readonly SubscriptionSpec[]): TriggerHandler {
  const topicNames = new TopicNames(subscriptions);
  const parallelism = Math.max(1, ...subscriptions.map((s) => s.parallelism));
  return async (event, context) => {
    const deps = makeDeps();
    if (isWakeEvent(event)) {
      await wakeSubscribedPartitions(deps, topicNames.topics);
      return { batchItemFailures: [] };
    }
    const deadlineMs = deps.now() + (context?.getRemainingTimeInMillis() ?? DEFAULT_BUDGET_MS);
    const changes = headChanges(event);
    if (changes.length === 0) return { batchItemFailures: [] };
    const names = await topicNames.resolve(deps, changes.map((c) => c.topicId));
    const wakes: Wake[] = changes.flatMap((change) => {
      const topic = names.get(change.topicId);
      if (topic === undefined) return [];
      return subscriptions.filter((s) => subscribesTo(s, topic)).map((spec) => ({ spec, change, topic }));
    });
    const reports = await mapLimit(wakes, parallelism, async (wake): Promise<DeliveryReport | undefined> => {
      try {
        return await deliverPartition(deps, wake.spec, { topic: wake.topic, partition: wake.change.partition }, {
          deadlineMs,
          ...(wake.change.previousHighWatermark !== undefined ? { latestHint: wake.change.previousHighWatermark } : {}),
        });
      } catch (err) {
        deps.log('error', 'subscription delivery failed', { subscription: wake.spec.name, topic: wake.topic, partition: wake.change.partition, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
        return undefined;
      }
    });
    const unfinished = wakes.filter((_, i) => reports[i] === undefined || reports[i]!.status !== 'caught-up').map((w) => w.change.sequenceNumber);
    return { batchItemFailures: lowestFirst(unfinished).slice(0, 1).map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

function unknownTopic(err: unknown): undefined {
  if (err instanceof KafkalessError && err.code === 'UnknownTopicOrPartition') return undefined;
  throw err;
}

/** Stream sequence numbers are decimal strings of one width or another: compare as numbers. */
function lowestFirst(sequenceNumbers: readonly string[]): string[] {
  return [...new Set(sequenceNumbers)].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
}

/** topicId → name for the subscribed topics, from the broker's metadata; looked up again when an id is new. */
class TopicNames {
  private readonly names = new Map<string, string>();
  /** The topics subscriptions name (those matched by a topicsRegex are found by listing, in resolve). */
  readonly topics: readonly string[];
  private readonly byRegex: readonly SubscriptionSpec[];

  constructor(subscriptions: readonly SubscriptionSpec[]) {
    this.topics = [...new Set(subscriptions.flatMap((s) => s.topics))];
    this.byRegex = subscriptions.filter((s) => s.topicsRegex !== undefined);
  }

  async resolve(deps: TriggerDeps, topicIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (topicIds.some((id) => !this.names.has(id)) && (this.topics.length > 0 || this.byRegex.length > 0)) {
      this.names.clear();
      const topics = new Set(this.topics);
      if (this.byRegex.length > 0) {
        // A subscription by pattern: the topics that match it now (a topic made later is seen at its first append).
        const listed = await call<AdminReplies['listTopics']>(deps.broker, 'admin', { action: 'listTopics' });
        for (const topic of listed.topics) if (this.byRegex.some((s) => subscribesTo(s, topic))) topics.add(topic);
      }
      // One topic per call: a subscribed topic that does not exist (yet) must not hide the others.
      const replies = await Promise.all([...topics].map((topic) => call<MetadataReply>(deps.broker, 'fetch', { action: 'metadata', topics: [topic] }).catch(unknownTopic)));
      for (const t of replies.flatMap((r) => r?.topics ?? [])) this.names.set(t.topicId, t.topic);
    }
    return this.names;
  }
}
