/**
 * The live topics as the coordinator sees them: name → topicId and partition
 * count. Listed from the topics table and kept for a short while, so a busy
 * group does not scan the table on every heartbeat; a topic created, deleted
 * or grown is noticed within `ttlMs` (by the clock of the broker context).
 */
import type { TopicSnapshot } from '../../storage/group-records.js';
import type { TopicStore } from '../../storage/topic-store.js';
import { TOPIC_METADATA_TTL_MS } from './defaults.js';

export type TopicsView = ReadonlyMap<string, TopicSnapshot>;

export class GroupTopics {
  private cached: { view: TopicsView; expiresAtMs: number } | undefined;

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

  forget(): void {
    this.cached = undefined;
  }
}
