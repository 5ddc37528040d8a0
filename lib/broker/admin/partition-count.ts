import { KafkalessError } from '../../errors.js';

/** Partitions one topic may have; each is a DynamoDB key, so the bound is about sanity, not capacity. */
export const MAX_PARTITIONS = 10_000;

export function validatePartitionCount(topic: string, partitions: number): void {
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new KafkalessError('InvalidPartitions', `Number of partitions must be larger than 0 (got ${partitions} for topic '${topic}').`, {
      context: { topic },
    });
  }
  if (partitions > MAX_PARTITIONS) {
    throw new KafkalessError('InvalidPartitions', `Number of partitions must be at most ${MAX_PARTITIONS} (got ${partitions} for topic '${topic}').`, {
      context: { topic },
    });
  }
}
