import { randomUUID } from 'node:crypto';
import { KafkalessError } from '../../errors.js';
import type { CreatedTopic } from '../../protocol/admin-replies.js';
import type { CreateTopicsRequest } from '../../protocol/admin-requests.js';
import { validateConfigCombination, validateConfigEntries, type TopicConfigOverrides } from '../../protocol/topic-config.js';
import { hasCollisionChars, unifyCollisionChars, validateTopicName } from '../../protocol/topic-name.js';
import type { TopicRecord } from '../../storage/topic-store.js';
import type { AdminDeps } from './deps.js';
import { DEFAULT_PARTITION_COUNT, validatePartitionCount, validateReplicationFactor } from './partition-count.js';

const COLLISION_WARNING =
  "Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.";

/** Kafka's "use the broker's default.replication.factor". */
const DEFAULT_REPLICATION_FACTOR = -1;

/** Creates every topic of the request, or none: the whole request is validated before the one write. */
export async function createTopics(deps: AdminDeps, request: CreateTopicsRequest): Promise<{ topics: CreatedTopic[] }> {
  const createdAt = new Date(deps.now()).toISOString();
  const seen = new Map<string, string>();
  const records: TopicRecord[] = request.topics.map((t) => {
    validateTopicName(t.topic);
    const unified = unifyCollisionChars(t.topic);
    const earlier = seen.get(unified);
    if (earlier !== undefined) {
      const code = earlier === t.topic ? 'InvalidRequest' : 'InvalidTopic';
      const what = earlier === t.topic ? `Topic '${t.topic}' appears twice in the request` : `Topic '${t.topic}' collides with '${earlier}' in the same request`;
      throw new KafkalessError(code, what, { context: { topic: t.topic } });
    }
    seen.set(unified, t.topic);
    const partitions = t.numPartitions ?? DEFAULT_PARTITION_COUNT;
    validatePartitionCount(t.topic, partitions);
    const replicationFactor = t.replicationFactor ?? DEFAULT_REPLICATION_FACTOR;
    validateReplicationFactor(t.topic, replicationFactor);
    const entries: Record<string, string> = {};
    for (const e of t.configEntries ?? []) entries[e.name] = e.value;
    const configs = validateConfigEntries(entries, t.topic) as TopicConfigOverrides;
    validateConfigCombination(configs, t.topic);
    return { name: t.topic, topicId: randomUUID(), partitions, configs, replicationFactor, state: 'ACTIVE', createdAt, version: 0 };
  });
  if (request.validateOnly !== true) await deps.topics.create(records);
  return {
    topics: records.map((r) => ({
      topic: r.name,
      topicId: r.topicId,
      numPartitions: r.partitions,
      replicationFactor: r.replicationFactor ?? DEFAULT_REPLICATION_FACTOR,
      ...(hasCollisionChars(r.name) ? { warning: COLLISION_WARNING } : {}),
    })),
  };
}
