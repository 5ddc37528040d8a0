import { JavaHashOrder, javaTopicPartitionHash } from '../java-order.js';
import { partitionKey } from '../topic-partitions.js';
import type { TopicPartition } from '../types.js';

interface Movement {
  src: string;
  dst: string;
}

const pairKey = (src: string, dst: string): string => `${src}\u0000${dst}`;

/**
 * The net movements of partitions during one general sticky rebalance, per topic
 * and (source, destination) pair, so that a partition about to move from A to B
 * can instead be one that moved from B to A earlier (moving it back), as Kafka's
 * `PartitionMovements` does.
 */
export class PartitionMovements {
  private readonly byPartition = new Map<string, Movement>();
  private readonly byTopic = new Map<string, Map<string, JavaHashOrder<string>>>();
  private readonly partitions = new Map<string, TopicPartition>();

  /** The partition that should move from `oldOwner` to `newOwner` in place of `tp`. */
  partitionToMove(tp: TopicPartition, oldOwner: string, newOwner: string): TopicPartition {
    const pairs = this.byTopic.get(tp.topic);
    if (pairs === undefined) return tp;
    const earlier = this.byPartition.get(partitionKey(tp));
    const source = earlier === undefined ? oldOwner : earlier.src;
    const reverse = pairs.get(pairKey(newOwner, source));
    if (reverse === undefined) return tp;
    return this.partitions.get(reverse.first()!)!;
  }

  /** Records that `tp` moved from `oldOwner` to `newOwner`, folding it with its earlier move. */
  record(tp: TopicPartition, oldOwner: string, newOwner: string): void {
    const key = partitionKey(tp);
    this.partitions.set(key, tp);
    const earlier = this.byPartition.get(key);
    if (earlier === undefined) {
      this.add(tp, { src: oldOwner, dst: newOwner });
      return;
    }
    this.remove(tp, earlier);
    if (earlier.src !== newOwner) this.add(tp, { src: earlier.src, dst: newOwner });
  }

  private add(tp: TopicPartition, movement: Movement): void {
    const key = partitionKey(tp);
    this.byPartition.set(key, movement);
    let pairs = this.byTopic.get(tp.topic);
    if (pairs === undefined) {
      pairs = new Map();
      this.byTopic.set(tp.topic, pairs);
    }
    const pk = pairKey(movement.src, movement.dst);
    let moved = pairs.get(pk);
    if (moved === undefined) {
      moved = new JavaHashOrder<string>((k) => this.hashOf(k));
      pairs.set(pk, moved);
    }
    moved.add(key);
  }

  private remove(tp: TopicPartition, movement: Movement): void {
    const key = partitionKey(tp);
    this.byPartition.delete(key);
    const pairs = this.byTopic.get(tp.topic)!;
    const pk = pairKey(movement.src, movement.dst);
    const moved = pairs.get(pk)!;
    moved.delete(key);
    if (moved.size === 0) pairs.delete(pk);
    if (pairs.size === 0) this.byTopic.delete(tp.topic);
  }

  private hashOf(key: string): number {
    const tp = this.partitions.get(key)!;
    return javaTopicPartitionHash(tp.topic, tp.partition);
  }
}
