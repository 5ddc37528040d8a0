/** Topic metadata the clients need (partition counts, max.message.bytes), cached like Kafka's metadata.max.age.ms. */
import { DEFAULT_MAX_MESSAGE_BYTES } from '../limits.js';
import type { FunctionRole } from '../names.js';
import type { MetadataReply } from '../protocol/log-replies.js';
import { retry } from '../retry.js';
import { call, type Transport } from './transport.js';

/** Attempts at a metadata request whose failures are retriable (a throttled or failed AWS call behind it). */
const METADATA_ATTEMPTS = 6;

/** Kafka's metadata.max.age.ms default. */
export const DEFAULT_METADATA_MAX_AGE_MS = 300_000;

export interface TopicFacts {
  readonly partitions: number;
  readonly topicId: string;
  readonly maxMessageBytes: number;
}

export class TopicMetadata {
  private readonly cache = new Map<string, TopicFacts & { fetchedAtMs: number }>();

  constructor(
    private readonly transport: Transport,
    private readonly role: FunctionRole,
    private readonly maxAgeMs = DEFAULT_METADATA_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async partitionCount(topic: string): Promise<number> {
    return (await this.topic(topic)).partitions;
  }

  async topic(topic: string): Promise<TopicFacts> {
    const hit = this.cache.get(topic);
    if (hit !== undefined && this.now() - hit.fetchedAtMs < this.maxAgeMs) return hit;
    await this.refresh([topic]);
    return this.cache.get(topic)!;
  }

  async refresh(topics: readonly string[]): Promise<void> {
    const reply = await retry(() => call<MetadataReply>(this.transport, this.role, { action: 'metadata', topics }), {
      maxAttempts: METADATA_ATTEMPTS,
      initialDelayMs: 50,
      maxDelayMs: 1_000,
      isRetriable: (err) => (err as { code?: unknown }).code !== 'UnknownTopicOrPartition' && (err as { retriable?: unknown }).retriable === true,
    });
    for (const t of reply.topics) {
      this.cache.set(t.topic, { partitions: t.partitions, topicId: t.topicId, maxMessageBytes: t.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES, fetchedAtMs: this.now() });
    }
  }

  invalidate(topic: string): void {
    this.cache.delete(topic);
  }
}
