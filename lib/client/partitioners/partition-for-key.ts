import { murmur2, toPositive } from './murmur2.js';

/** Kafka's `BuiltInPartitioner.partitionForKey`: the partition a non-null key always maps to. */
export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  return toPositive(murmur2(key)) % numPartitions;
}
