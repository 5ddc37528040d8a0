import { partitionForKey } from './partition-for-key.js';
import { explicitOrNothing, type PartitionArgs, type RandomSource, type StickyPartitioner } from './partitioner.js';
import { StickyPartitions } from './sticky-partitions.js';

/**
 * Kafka's default partitioning: an explicit partition wins; a keyed record goes to
 * `toPositive(murmur2(key)) % partitionCount` (an empty key is hashed too); a record
 * with a null key goes to the topic's sticky partition (KIP-480), which changes only
 * when the producer calls `onNewBatch(topic)`.
 */
export function createDefaultPartitioner(random: RandomSource = Math.random): StickyPartitioner {
  const sticky = new StickyPartitions(random);
  const partitioner = (args: PartitionArgs): number => {
    const explicit = explicitOrNothing(args);
    if (explicit !== undefined) return explicit;
    if (args.key !== null) return partitionForKey(args.key, args.partitionCount);
    return sticky.current(args.topic, args.partitionCount);
  };
  return Object.assign(partitioner, { onNewBatch: (topic: string): void => sticky.rotate(topic) });
}
