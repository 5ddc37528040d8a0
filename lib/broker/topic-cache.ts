/**
 * A short-lived cache of topic records for the hot paths. Safe because a
 * topic's identity is re-checked inside every commit (a ConditionCheck on
 * its topicId) and partition counts only grow; config changes reach a warm
 * instance within `ttlMs`.
 */
import type { TopicRecord, TopicStore } from '../storage/topic-store.js';

export class TopicCache {
  private readonly entries = new Map<string, { record: TopicRecord; expiresAtMs: number }>();

  constructor(
    private readonly store: TopicStore,
    private readonly now: () => number,
    private readonly ttlMs = 5_000,
  ) {}

  /** The live topic, or `UnknownTopicOrPartition`. */
  async require(name: string): Promise<TopicRecord> {
    const hit = this.entries.get(name);
    if (hit !== undefined && hit.expiresAtMs > this.now()) return hit.record;
    const record = await this.store.require(name);
    this.entries.set(name, { record, expiresAtMs: this.now() + this.ttlMs });
    return record;
  }

  forget(name: string): void {
    this.entries.delete(name);
  }
}
