/**
 * The live topics as the coordinator sees them: name → topicId and partition
 * count. Listed from the topics table and kept for a short while, so a busy
 * group does not scan the table on every heartbeat; a topic created, deleted
 * or grown is noticed within `ttlMs` (by the clock of the broker context).
 * A heartbeat of a member that subscribes by name reads only its topics, by
 * key (`viewOf`), so a quiet beat never lists the table.
 */
import type { TopicSnapshot } from '../../storage/group-records.js';
import type { TopicStore } from '../../storage/topic-store.js';
import { TOPIC_METADATA_TTL_MS } from './defaults.js';

export type TopicsView = ReadonlyMap<string, TopicSnapshot>;

/** Named topics kept at most this many before the cache starts over. */
const MAX_NAMED = 1_000;

export class GroupTopics {
  private cached: { view: TopicsView; expiresAtMs: number } | undefined;
  /** Topics looked up by name (undefined: does not exist), for heartbeats of members that subscribe by name. */
  private readonly named = new Map<string, { topic: TopicSnapshot | undefined; expiresAtMs: number }>();

  constructor(
    private readonly store: TopicStore,
    private readonly now: () => number,
    private readonly ttlMs = TOPIC_METADATA_TTL_MS,
  ) {}

  /** The live topics; listed afresh when the cached list is old or lacks one of `expected` (a topic just created). */
  async view(expected: readonly string[] = []): Promise<TopicsView> {
    const nowMs = this.now();
    const cached = this.cached;
    if (cached !== undefined && cached.expiresAtMs > nowMs && expected.every((name) => cached.view.has(name))) return cached.view;
    const topics = await this.store.list();
    const view = new Map(topics.map((t) => [t.name, { topicId: t.topicId, partitions: t.partitions }]));
    this.cached = { view, expiresAtMs: nowMs + this.ttlMs };
    return view;
  }

  /**
   * Only the named topics (those of them that exist): read by key, not by
   * listing the table, and kept as long as the whole list would be. What a
   * heartbeat of a member that subscribes by name needs.
   */
  async viewOf(names: readonly string[]): Promise<TopicsView> {
    const nowMs = this.now();
    const full = this.cached;
    if (full !== undefined && full.expiresAtMs > nowMs) return full.view;
    const stale = [...new Set(names)].filter((name) => (this.named.get(name)?.expiresAtMs ?? 0) <= nowMs);
    if (stale.length > 0) {
      const found = new Map((await this.store.getMany(stale)).map((t) => [t.name, { topicId: t.topicId, partitions: t.partitions }]));
      if (this.named.size + stale.length > MAX_NAMED) this.named.clear();
      for (const name of stale) this.named.set(name, { topic: found.get(name), expiresAtMs: nowMs + this.ttlMs });
    }
    const view = new Map<string, TopicSnapshot>();
    for (const name of names) {
      const topic = this.named.get(name)?.topic;
      if (topic !== undefined) view.set(name, topic);
    }
    return view;
  }

  forget(): void {
    this.cached = undefined;
    this.named.clear();
  }
}
