import { toPositive } from './murmur2.js';
import { explicitOrNothing, type Partitioner, type PartitionArgs } from './partitioner.js';

/**
 * Kafka's `RoundRobinPartitioner`: keys are ignored; each topic has its own counter
 * starting at 0, and record n goes to partition n % partitionCount.
 */
export function createRoundRobinPartitioner(): Partitioner {
  const counters = new Map<string, number>();
  return (args: PartitionArgs): number => {
    const explicit = explicitOrNothing(args);
    if (explicit !== undefined) return explicit;
    const next = counters.get(args.topic) ?? 0;
    counters.set(args.topic, (next + 1) | 0);
    return toPositive(next) % args.partitionCount;
  };
}
