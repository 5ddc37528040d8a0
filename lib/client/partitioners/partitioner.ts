import { KafkalessError } from '../../errors.js';

/** What a partitioner is told about one record. */
export interface PartitionArgs {
  readonly topic: string;
  readonly partitionCount: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** A partition the caller chose; it always wins when given. */
  readonly explicitPartition?: number;
}

/** Chooses the partition of one record; any function of this shape is a custom partitioner. */
export type Partitioner = (args: PartitionArgs) => number;

/** A partitioner that sticks to one partition per topic until told a batch is done (KIP-480). */
export interface StickyPartitioner extends Partitioner {
  /** The producer calls this when the batch of the topic's sticky partition was sent or filled. */
  onNewBatch(topic: string): void;
}

/** Source of uniform numbers in [0, 1), injected so runs replay. */
export type RandomSource = () => number;

/** Throws unless the topic has at least one partition. */
export function assertPartitionCount(topic: string, partitionCount: number): void {
  if (!Number.isInteger(partitionCount) || partitionCount < 1) {
    throw new KafkalessError(
      'UnknownTopicOrPartition',
      `Topic ${topic} has ${partitionCount} partitions; at least 1 is needed to choose one`,
      { context: { topic, field: 'partitionCount' } },
    );
  }
}

/** Throws unless `partition` is an integer in [0, partitionCount). */
export function assertPartitionInRange(topic: string, partition: number, partitionCount: number): void {
  if (!Number.isInteger(partition) || partition < 0 || partition >= partitionCount) {
    throw new KafkalessError(
      'UnknownTopicOrPartition',
      `Partition ${partition} of topic ${topic} is not in the range [0, ${partitionCount})`,
      { context: { topic, partition, field: 'partition' } },
    );
  }
}

/**
 * Validates the arguments and answers the explicit partition when one is given,
 * or `undefined` when the partitioner must choose.
 */
export function explicitOrNothing(args: PartitionArgs): number | undefined {
  assertPartitionCount(args.topic, args.partitionCount);
  if (args.explicitPartition === undefined) return undefined;
  assertPartitionInRange(args.topic, args.explicitPartition, args.partitionCount);
  return args.explicitPartition;
}

/** Runs any partitioner (built-in or custom) and checks that its answer is a partition of the topic. */
export function choosePartition(partitioner: Partitioner, args: PartitionArgs): number {
  assertPartitionCount(args.topic, args.partitionCount);
  const partition = partitioner(args);
  assertPartitionInRange(args.topic, partition, args.partitionCount);
  return partition;
}
