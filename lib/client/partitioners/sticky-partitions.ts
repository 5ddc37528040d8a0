import type { RandomSource } from './partitioner.js';
import { randomIndex, randomIndexExcept } from './random-index.js';

interface TopicState {
  partition: number | undefined;
  /** Set by `rotate`: the next pick must differ from this partition. */
  previous: number | undefined;
}

/**
 * The per-topic sticky partition of KIP-480: one partition per topic, kept until
 * `rotate(topic)`, then another chosen at random (a different one when the topic
 * has more than one partition).
 */
export class StickyPartitions {
  private readonly topics = new Map<string, TopicState>();

  constructor(private readonly random: RandomSource) {}

  /** The topic's current sticky partition, choosing one when none is set or it no longer exists. */
  current(topic: string, partitionCount: number): number {
    const state = this.stateOf(topic);
    if (state.partition === undefined || state.partition >= partitionCount) {
      state.partition = this.pick(partitionCount, state.previous);
      state.previous = undefined;
    }
    return state.partition;
  }

  /** Forgets the topic's sticky partition; the next record goes to another one. */
  rotate(topic: string): void {
    const state = this.stateOf(topic);
    if (state.partition === undefined) return;
    state.previous = state.partition;
    state.partition = undefined;
  }

  private pick(partitionCount: number, previous: number | undefined): number {
    if (partitionCount > 1 && previous !== undefined && previous < partitionCount) {
      return randomIndexExcept(this.random, partitionCount, previous);
    }
    return randomIndex(this.random, partitionCount);
  }

  private stateOf(topic: string): TopicState {
    let state = this.topics.get(topic);
    if (state === undefined) {
      state = { partition: undefined, previous: undefined };
      this.topics.set(topic, state);
    }
    return state;
  }
}
