import type { TopicDescription } from '../../protocol/admin-replies.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import type { TopicRecord } from '../../storage/topic-store.js';
import type { AdminDeps } from './deps.js';

export async function listTopics(deps: AdminDeps): Promise<{ topics: string[] }> {
  return { topics: (await deps.topics.list()).map((t) => t.name) };
}

/** The named topics (all when none named) with each partition's offsets. */
export async function describeTopics(deps: AdminDeps, names: readonly string[] | undefined): Promise<{ topics: TopicDescription[] }> {
  let records: TopicRecord[];
  if (names === undefined) {
    records = await deps.topics.list();
  } else {
    names.forEach(validateTopicName);
    records = [];
    for (const name of names) records.push(await deps.topics.require(name));
  }
  const topics: TopicDescription[] = [];
  for (const t of records) {
    const heads = await deps.heads.getMany(t.topicId, Array.from({ length: t.partitions }, (_, i) => i));
    topics.push({
      topic: t.name,
      topicId: t.topicId,
      configs: t.configs,
      replicationFactor: t.replicationFactor ?? -1,
      createdAt: t.createdAt,
      partitions: heads.map((h) => ({ partition: h.partition, highWatermark: h.highWatermark, logStartOffset: h.logStartOffset, bytes: h.bytes })),
    });
  }
  return { topics };
}
