/** Metadata for clients: each named topic's partition count (what a producer partitions over) and max.message.bytes. */
import type { MetadataReply } from '../protocol/log-replies.js';
import { resolveTopicConfig } from '../protocol/topic-config.js';
import { validateTopicName } from '../protocol/topic-name.js';
import type { TopicCache } from './topic-cache.js';

export async function metadata(topics: TopicCache, names: readonly string[]): Promise<MetadataReply> {
  names.forEach(validateTopicName);
  const out = [];
  for (const name of names) {
    const t = await topics.require(name);
    out.push({ topic: t.name, topicId: t.topicId, partitions: t.partitions, maxMessageBytes: resolveTopicConfig(t.configs).maxMessageBytes });
  }
  return { topics: out };
}
