import { compareJavaStrings } from '../java-order.js';
import { partitionKey, partitionsOf } from '../topic-partitions.js';
import type { AssignorMember, TopicPartition } from '../types.js';
import { LoadOrder } from './load-order.js';
import type { OwnedState } from './owned-partitions.js';
import { removePartition } from './owned-partitions.js';
import { PartitionMovements } from './partition-movements.js';

/**
 * Kafka's general sticky assignment, used when subscriptions differ: keep every
 * owned partition the member still subscribes to; give each unassigned partition
 * (topics with the fewest subscribers first) to the least-loaded subscriber; then
 * move partitions from members holding two or more than another subscriber of the
 * same topic, preferring to undo earlier moves, and keep the result only if it is
 * better balanced than before (or nothing was owned before).
 */
export function generalAssign(
  members: readonly AssignorMember[],
  partitionsPerTopic: ReadonlyMap<string, number>,
  state: OwnedState,
): Map<string, TopicPartition[]> {
  return new GeneralAssignment(members, partitionsPerTopic, state).build();
}

class GeneralAssignment {
  private readonly topicConsumers = new Map<string, string[]>();
  private readonly consumerTopics = new Map<string, string[]>();
  private readonly current = new Map<string, TopicPartition[]>();
  private readonly ownerOf = new Map<string, string>();
  private readonly load = new LoadOrder((id) => this.current.get(id)!.length);
  private readonly movements = new PartitionMovements();
  private sortedPartitions: TopicPartition[];
  private revocationRequired = false;

  constructor(
    members: readonly AssignorMember[],
    private readonly partitionsPerTopic: ReadonlyMap<string, number>,
    state: OwnedState,
  ) {
    for (const topic of partitionsPerTopic.keys()) this.topicConsumers.set(topic, []);
    for (const member of members) {
      const topics = member.topics.filter((t) => partitionsPerTopic.has(t));
      this.consumerTopics.set(member.memberId, topics);
      for (const topic of topics) this.topicConsumers.get(topic)!.push(member.memberId);
    }
    const topics = [...partitionsPerTopic.keys()].sort(
      (a, b) => this.topicConsumers.get(a)!.length - this.topicConsumers.get(b)!.length || compareJavaStrings(a, b),
    );
    this.sortedPartitions = topics.flatMap((t) => partitionsOf(t, partitionsPerTopic.get(t)!));
    this.keepOwned(members, state);
  }

  build(): Map<string, TopicPartition[]> {
    const unassigned = this.sortedPartitions.filter((tp) => !this.ownerOf.has(partitionKey(tp)));
    for (const memberId of this.current.keys()) this.load.add(memberId);
    this.balance(unassigned);
    return this.current;
  }

  /** Keeps each member's owned partitions of topics it still subscribes to. */
  private keepOwned(members: readonly AssignorMember[], state: OwnedState): void {
    for (const member of members) {
      const subscribed = new Set(member.topics);
      const kept: TopicPartition[] = [];
      for (const tp of state.owned.get(member.memberId)!) {
        if (subscribed.has(tp.topic)) {
          kept.push(tp);
          this.ownerOf.set(partitionKey(tp), member.memberId);
        } else {
          this.revocationRequired = true;
        }
      }
      this.current.set(member.memberId, kept);
    }
  }

  private sizeOf(memberId: string): number {
    return this.current.get(memberId)!.length;
  }

  private subscribes(memberId: string, topic: string): boolean {
    return this.consumerTopics.get(memberId)!.includes(topic);
  }

  private balance(unassigned: TopicPartition[]): void {
    const order = this.load.sorted();
    const initializing = this.sizeOf(order[order.length - 1]!) === 0;
    for (const tp of unassigned) this.assignToLeastLoaded(tp);

    const movable = (tp: TopicPartition): boolean => this.topicConsumers.get(tp.topic)!.length >= 2;
    this.sortedPartitions = this.sortedPartitions.filter(movable);
    const reassignable = unassigned.filter(movable);

    const fixed = new Map<string, TopicPartition[]>();
    for (const memberId of this.consumerTopics.keys()) {
      if (this.canParticipate(memberId)) continue;
      this.load.delete(memberId);
      fixed.set(memberId, this.current.get(memberId)!);
      this.current.delete(memberId);
    }

    const before = copyAssignment(this.current);
    const ownersBefore = new Map(this.ownerOf);
    if (!this.revocationRequired) this.performReassignments(reassignable);
    const reassigned = this.performReassignments(this.sortedPartitions);
    if (!initializing && reassigned && balanceScore(this.current) >= balanceScore(before)) {
      this.current.clear();
      for (const [memberId, list] of before) this.current.set(memberId, list);
      this.ownerOf.clear();
      for (const [key, owner] of ownersBefore) this.ownerOf.set(key, owner);
    }
    for (const [memberId, list] of fixed) this.current.set(memberId, list);
  }

  private assignToLeastLoaded(tp: TopicPartition): void {
    if (this.topicConsumers.get(tp.topic)!.length === 0) return;
    const memberId = this.load.sorted().find((id) => this.subscribes(id, tp.topic));
    if (memberId === undefined) return;
    this.current.get(memberId)!.push(tp);
    this.ownerOf.set(partitionKey(tp), memberId);
  }

  private maxAssignmentSize(memberId: string): number {
    return this.consumerTopics.get(memberId)!.reduce((sum, t) => sum + this.partitionsPerTopic.get(t)!, 0);
  }

  private canParticipate(memberId: string): boolean {
    if (this.sizeOf(memberId) < this.maxAssignmentSize(memberId)) return true;
    return this.current.get(memberId)!.some((tp) => this.topicConsumers.get(tp.topic)!.length >= 2);
  }

  /** Moves partitions until balanced or nothing more can move; true when something moved. */
  private performReassignments(partitions: readonly TopicPartition[]): boolean {
    let performed = false;
    let modified: boolean;
    do {
      modified = false;
      for (const tp of partitions) {
        if (this.isBalanced()) break;
        const owner = this.ownerOf.get(partitionKey(tp))!;
        const ownerSize = this.sizeOf(owner);
        const underloaded = this.topicConsumers.get(tp.topic)!.some((other) => ownerSize > this.sizeOf(other) + 1);
        if (!underloaded) continue;
        this.reassign(tp);
        performed = true;
        modified = true;
      }
    } while (modified);
    return performed;
  }

  private reassign(tp: TopicPartition): void {
    const newOwner = this.load.sorted().find((id) => this.subscribes(id, tp.topic))!;
    const owner = this.ownerOf.get(partitionKey(tp))!;
    const actual = this.movements.partitionToMove(tp, owner, newOwner);
    this.move(actual, newOwner);
  }

  private move(tp: TopicPartition, newOwner: string): void {
    const key = partitionKey(tp);
    const oldOwner = this.ownerOf.get(key)!;
    this.movements.record(tp, oldOwner, newOwner);
    removePartition(this.current.get(oldOwner)!, tp);
    this.current.get(newOwner)!.push(tp);
    this.ownerOf.set(key, newOwner);
  }

  /**
   * Balanced when sizes differ by at most one, or when no member that could take
   * more has a partition of its topics held by a member with two or more than it.
   */
  private isBalanced(): boolean {
    const order = this.load.sorted();
    if (this.sizeOf(order[0]!) >= this.sizeOf(order[order.length - 1]!) - 1) return true;
    const holder = new Map<string, string>();
    for (const [memberId, list] of this.current) for (const tp of list) holder.set(partitionKey(tp), memberId);
    return order.every((memberId) => !this.canTakeMore(memberId, holder));
  }

  private canTakeMore(memberId: string, holder: ReadonlyMap<string, string>): boolean {
    const size = this.sizeOf(memberId);
    if (size === this.maxAssignmentSize(memberId)) return false;
    for (const topic of this.consumerTopics.get(memberId)!) {
      for (let partition = 0; partition < this.partitionsPerTopic.get(topic)!; partition++) {
        const other = holder.get(partitionKey({ topic, partition }));
        if (other !== undefined && other !== memberId && size + 1 < this.sizeOf(other)) return true;
      }
    }
    return false;
  }
}

function copyAssignment(assignment: ReadonlyMap<string, TopicPartition[]>): Map<string, TopicPartition[]> {
  return new Map([...assignment].map(([memberId, list]) => [memberId, [...list]]));
}

/** Sum over member pairs of the difference of their sizes; 0 is perfectly even. */
function balanceScore(assignment: ReadonlyMap<string, TopicPartition[]>): number {
  const sizes = [...assignment.values()].map((l) => l.length);
  let score = 0;
  for (let i = 0; i < sizes.length; i++) for (let j = i + 1; j < sizes.length; j++) score += Math.abs(sizes[i]! - sizes[j]!);
  return score;
}
