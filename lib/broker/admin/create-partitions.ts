import { KafkalessError } from '../../errors.js';
import type { CreatePartitionsRequest } from '../../protocol/admin-requests.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import type { TopicRecord } from '../../storage/topic-store.js';
import type { AdminDeps } from './deps.js';
import { validatePartitionCount } from './partition-count.js';
import { retryTopicRace } from './topic-race.js';

/** Raises partition counts (never lowers them); every topic is checked, then all change in one write. */
export async function createPartitions(
  deps: AdminDeps,
  request: CreatePartitionsRequest,
): Promise<{ topics: { topic: string; numPartitions: number }[] }> {
  return retryTopicRace(() => createPartitionsOnce(deps, request), deps.random);
}

async function createPartitionsOnce(
  deps: AdminDeps,
  request: CreatePartitionsRequest,
): Promise<{ topics: { topic: string; numPartitions: number }[] }> {
  const plan: { record: TopicRecord; count: number }[] = [];
  for (const { topic, count } of request.topicPartitions) {
    validateTopicName(topic);
    validatePartitionCount(topic, count);
    const record = await deps.topics.require(topic);
    if (count === record.partitions) {
      throw new KafkalessError('InvalidPartitions', `Topic already has ${count} partitions.`, { context: { topic } });
    }
    if (count < record.partitions) {
      throw new KafkalessError(
        'InvalidPartitions',
        `Topic currently has ${record.partitions} partitions, which is higher than the requested ${count}. Partitions can only be added.`,
        { context: { topic } },
      );
    }
    plan.push({ record, count });
  }
  if (request.validateOnly !== true) {
    await deps.topics.updateMany(plan.map(({ record, count }) => ({ expected: record, change: { partitions: count } })));
  }
  return { topics: plan.map(({ record, count }) => ({ topic: record.name, numPartitions: count })) };
}
