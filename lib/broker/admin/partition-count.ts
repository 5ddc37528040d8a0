import { KafkalessError } from '../../errors.js';
import { MAX_TOPIC_PARTITIONS } from '../../limits.js';

/** Partitions one topic may have; each is a DynamoDB key, so the bound is about sanity, not capacity. */

export function validatePartitionCount(topic: string, partitions: number): void {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new KafkalessError('InvalidPartitions', `Number of partitions must be larger than 0 (got ${partitions} for topic '${topic}').`, {
      context: { topic },
    });
  }
  if (partitions > MAX_TOPIC_PARTITIONS) {
    throw new KafkalessError('InvalidPartitions', `Number of partitions must be at most ${MAX_TOPIC_PARTITIONS} (got ${partitions} for topic '${topic}').`, {
      context: { topic },
    });
  }
}
