import { KafkalessError } from '../../errors.js';
import { MAX_TOPIC_PARTITIONS } from '../../limits.js';

/** Partitions of a topic created without a count (Kafka's num.partitions default). */
export const DEFAULT_PARTITION_COUNT = 1;

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

/**
 * Kafka's replication factor: -1 (the default) or a positive count. It is
 * stored and described but changes nothing: S3 and DynamoDB keep every
 * acknowledged record in several availability zones.
 */
export function validateReplicationFactor(topic: string, replicationFactor: number): void {
  if (!Number.isInteger(replicationFactor) || replicationFactor === 0 || replicationFactor < -1) {
    throw new KafkalessError('InvalidReplicationFactor', `Replication factor must be larger than 0, or -1 to use the default (got ${replicationFactor} for topic '${topic}').`, {
      context: { topic },
    });
  }
}
