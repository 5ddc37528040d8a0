/**
 * Topic names by Kafka topic id, for the requests that name topics by id
 * (Fetch v13, KIP-848 heartbeats). A cache per gateway (per BrokerCalls)
 * of the last full listing, so a fetch of known topics does not list every
 * topic: an id the cache lacks waits for a listing begun after the request
 * arrived (concurrent requests share one), and every name the cache gives
 * is checked against the topic's current id (the broker's metadata, which
 * its topic cache answers), so a topic deleted and made again under the
 * same name is never read for the old id.
 */
import type { BrokerCalls } from './broker-calls.js';
import { topicNamesById, wireTopicIds } from './topic-lookup.js';

class TopicIdNames {
  private byId = new Map<string, string>();
  /** When the listing the cache holds was begun. */
  private listedAtMs = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly broker: BrokerCalls) {}

  async namesOf(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.some((id) => !this.byId.has(id))) await this.listingSince(Date.now());
    const candidates = [...new Set(ids)].flatMap((id): [string, string][] => {
      const name = this.byId.get(id);
      return name === undefined ? [] : [[id, name]];
    });
    if (candidates.length === 0) return new Map();
    const current = await wireTopicIds(this.broker, candidates.map(([, name]) => name));
    const names = new Map<string, string>();
    for (const [id, name] of candidates) {
      if (current.get(name) === id) names.set(id, name);
      else this.byId.delete(id);
    }
    return names;
  }

  /** Until the cache holds a listing begun at or after `sinceMs`. */
  private async listingSince(sinceMs: number): Promise<void> {
    while (this.listedAtMs < sinceMs) {
      if (this.refreshing === undefined) {
        const startedAtMs = Date.now();
        this.refreshing = topicNamesById(this.broker)
          .then((byId) => {
            this.byId = byId;
            this.listedAtMs = startedAtMs;
          })
          .finally(() => {
            this.refreshing = undefined;
          });
      }
      await this.refreshing;
    }
  }
}

const CACHES = new WeakMap<BrokerCalls, TopicIdNames>();

/** The names of the topics with these ids (wire form); an id no live topic has is absent. */
export function topicNamesOf(broker: BrokerCalls, ids: readonly string[]): Promise<Map<string, string>> {
  let cache = CACHES.get(broker);
  if (cache === undefined) {
    cache = new TopicIdNames(broker);
    CACHES.set(broker, cache);
  }
  return cache.namesOf(ids);
}
