/** Topic metadata the clients need (partition counts), cached like Kafka's metadata.max.age.ms. */
import type { FunctionRole } from '../names.js';
import type { MetadataReply } from '../protocol/log-replies.js';
import { retry } from '../retry.js';
import { call, type Transport } from './transport.js';

/** Attempts at a metadata request whose failures are retriable (a throttled or failed AWS call behind it). */
const METADATA_ATTEMPTS = 6;

/** Kafka's metadata.max.age.ms default. */
export const DEFAULT_METADATA_MAX_AGE_MS = 300_000;

export class TopicMetadata {
  private readonly cache = new Map<string, { partitions: number; topicId: string; fetchedAtMs: number }>();

  constructor(
    private readonly transport: Transport,
    private readonly role: FunctionRole,
    private readonly maxAgeMs = DEFAULT_METADATA_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async partitionCount(topic: string): Promise<number> {
    const hit = this.cache.get(topic);
    if (hit !== undefined && this.now() - hit.fetchedAtMs < this.maxAgeMs) return hit.partitions;
    await this.refresh([topic]);
    return this.cache.get(topic)!.partitions;
  }

  async refresh(topics: readonly string[]): Promise<void> {
    const reply = await retry(() => call<MetadataReply>(this.transport, this.role, { action: 'metadata', topics }), {
      maxAttempts: METADATA_ATTEMPTS,
      initialDelayMs: 50,
      maxDelayMs: 1_000,
      isRetriable: (err) => (err as { code?: unknown }).code !== 'UnknownTopicOrPartition' && (err as { retriable?: unknown }).retriable === true,
    });
    for (const t of reply.topics) this.cache.set(t.topic, { partitions: t.partitions, topicId: t.topicId, fetchedAtMs: this.now() });
  }

  invalidate(topic: string): void {
    this.cache.delete(topic);
  }
}
