import { createDefaultPartitioner } from './default-partitioner.js';
import type { Partitioner, RandomSource } from './partitioner.js';
import { createRandomPartitioner } from './random-partitioner.js';
import { createRoundRobinPartitioner } from './round-robin-partitioner.js';

export { murmur2, toPositive } from './murmur2.js';
export { partitionForKey } from './partition-for-key.js';
export {
  assertPartitionCount,
  assertPartitionInRange,
  choosePartition,
  explicitOrNothing,
  type PartitionArgs,
  type Partitioner,
  type RandomSource,
  type StickyPartitioner,
} from './partitioner.js';
export { createDefaultPartitioner } from './default-partitioner.js';
export { createRoundRobinPartitioner } from './round-robin-partitioner.js';
export { createRandomPartitioner } from './random-partitioner.js';

/** The built-in partitioners by name; each call makes a fresh one with its own state. */
export const partitioners = {
  default: createDefaultPartitioner,
  'round-robin': createRoundRobinPartitioner,
  random: createRandomPartitioner,
} as const satisfies Record<string, (random?: RandomSource) => Partitioner>;

export type PartitionerName = keyof typeof partitioners;
