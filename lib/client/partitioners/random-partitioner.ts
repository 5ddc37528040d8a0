import { explicitOrNothing, type Partitioner, type PartitionArgs, type RandomSource } from './partitioner.js';
import { randomIndex } from './random-index.js';

/** Every record (keyed or not) to a partition chosen uniformly at random. */
export function createRandomPartitioner(random: RandomSource = Math.random): Partitioner {
  return (args: PartitionArgs): number => {
    const explicit = explicitOrNothing(args);
    if (explicit !== undefined) return explicit;
    return randomIndex(random, args.partitionCount);
  };
}
