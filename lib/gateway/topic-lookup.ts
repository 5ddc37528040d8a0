/**
 * Topics as the gateway looks them up: every name (admin `listTopics`), and
 * each named topic's id and partition count (the fetch function's
 * `metadata`, in chunks the broker accepts, a topic that does not exist
 * answered by its own error). Metadata answers from these; the group APIs
 * use them to turn Kafka's topic ids into names and back.
 */
import { MAX_TOPICS_PER_LOOKUP } from '../limits.js';
import type { MetadataReply } from '../protocol/log-replies.js';
import type { BrokerCalls } from './broker-calls.js';
import { sameTopic, settleEach, type Settled } from './settle-each.js';
import { wireTopicId } from './wire-answers.js';

export type TopicMetadata = MetadataReply['topics'][number];

export async function allTopicNames(broker: BrokerCalls): Promise<string[]> {
  const listed = await broker.call<{ topics: string[] }>('admin', { action: 'listTopics' });
  return listed.topics;
}

/** Each distinct name's metadata, or the error the broker gave for that topic. */
export async function lookUpTopics(broker: BrokerCalls, names: readonly string[]): Promise<Map<string, Settled<TopicMetadata>>> {
  const unique = [...new Set(names)];
  const found = new Map<string, Settled<TopicMetadata>>();
  for (let i = 0; i < unique.length; i += MAX_TOPICS_PER_LOOKUP) {
    const chunk = unique.slice(i, i + MAX_TOPICS_PER_LOOKUP);
    const settled = await settleEach(chunk, sameTopic, async (topics) => (await broker.call<MetadataReply>('fetch', { action: 'metadata', topics })).topics);
    chunk.forEach((name, k) => found.set(name, settled[k]!));
  }
  return found;
}

/** Kafka's topic id (wire form) of each of these topics that exists. */
export async function wireTopicIds(broker: BrokerCalls, names: readonly string[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const [name, s] of await lookUpTopics(broker, names)) if (s.error === undefined) ids.set(name, wireTopicId(s.result.topicId));
  return ids;
}

/** The name of every live topic by its Kafka topic id (wire form). */
export async function topicNamesById(broker: BrokerCalls): Promise<Map<string, string>> {
  const byId = new Map<string, string>();
  for (const [name, id] of await wireTopicIds(broker, await allTopicNames(broker))) byId.set(id, name);
  return byId;
}
