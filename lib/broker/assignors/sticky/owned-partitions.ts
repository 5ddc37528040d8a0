import { javaHashMapOrder } from '../java-order.js';
import { partitionKey } from '../topic-partitions.js';
import type { AssignorMember, TopicPartition } from '../types.js';

/** What the sticky assignor knows before assigning: who owns what, validly. */
export interface OwnedState {
  /** Member ids in the order Kafka's sticky assignor visits them (Java `HashMap` order). */
  memberOrder: string[];
  /** Each member's owned partitions that still exist, in the order the member listed them. */
  owned: Map<string, TopicPartition[]>;
  /** Partitions two or more members claimed; nobody keeps them. */
  multiplyClaimed: Set<string>;
  /** True when every member subscribes to exactly the same topics. */
  allSubscriptionsEqual: boolean;
}

function sameTopics(a: readonly string[], b: ReadonlySet<string>): boolean {
  return a.length === b.size && a.every((t) => b.has(t));
}

function exists(tp: TopicPartition, partitionsPerTopic: ReadonlyMap<string, number>): boolean {
  const count = partitionsPerTopic.get(tp.topic);
  return count !== undefined && Number.isInteger(tp.partition) && tp.partition >= 0 && tp.partition < count;
}

/**
 * Reads the members' owned partitions as Kafka's `AbstractStickyAssignor` does
 * for members of one generation: partitions of topics without metadata are
 * dropped, and a partition claimed by two members is taken from both.
 */
export function readOwnedPartitions(
  members: readonly AssignorMember[],
  partitionsPerTopic: ReadonlyMap<string, number>,
): OwnedState {
  const byId = new Map(members.map((m) => [m.memberId, m]));
  const memberOrder = javaHashMapOrder(members.map((m) => m.memberId));
  const firstTopics = new Set(members[0]?.topics ?? []);
  const owned = new Map<string, TopicPartition[]>();
  const ownerOf = new Map<string, string>();
  const multiplyClaimed = new Set<string>();

  for (const memberId of memberOrder) {
    const list: TopicPartition[] = [];
    owned.set(memberId, list);
    for (const tp of byId.get(memberId)!.owned ?? []) {
      if (!exists(tp, partitionsPerTopic)) continue;
      const key = partitionKey(tp);
      const other = ownerOf.get(key);
      if (other === memberId) continue; // listed twice by the same member
      ownerOf.set(key, memberId);
      if (other === undefined) {
        list.push({ topic: tp.topic, partition: tp.partition });
      } else {
        multiplyClaimed.add(key);
        removePartition(owned.get(other)!, tp);
      }
    }
  }
  const allSubscriptionsEqual = members.every((m) => sameTopics(m.topics, firstTopics));
  return { memberOrder, owned, multiplyClaimed, allSubscriptionsEqual };
}

/** Removes the first occurrence of a partition from a list, as Java's `List.remove(Object)`. */
export function removePartition(list: TopicPartition[], tp: TopicPartition): void {
  const index = list.findIndex((x) => x.topic === tp.topic && x.partition === tp.partition);
  if (index >= 0) list.splice(index, 1);
}
