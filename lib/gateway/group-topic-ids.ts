/**
 * The KIP-848 APIs name topics by id on the wire; the group function names
 * them by name. These turn one into the other with the topics' own ids
 * (lib/gateway/topic-lookup.ts, as Metadata reports them).
 */
import { partitionsByTopic } from '../protocol/consumer-protocol.js';
import type { GroupTopicPartition } from '../protocol/group-replies.js';
import type { BrokerCalls } from './broker-calls.js';
import { topicNamesOf } from './topic-id-names.js';
import { wireTopicIds } from './topic-lookup.js';

export interface WireTopicPartitions {
  readonly topicId: string;
  readonly topicName: string;
  readonly partitions: number[];
}

/** Per topic, by id; a topic that no longer exists (deleted since) is left out. */
export function withTopicIds(tps: readonly GroupTopicPartition[], ids: ReadonlyMap<string, string>): WireTopicPartitions[] {
  return partitionsByTopic(tps).flatMap(({ topic, partitions }) => {
    const topicId = ids.get(topic);
    return topicId === undefined ? [] : [{ topicId, topicName: topic, partitions }];
  });
}

/** The ids of every topic these lists name. */
export async function idsOfTopics(broker: BrokerCalls, lists: readonly (readonly GroupTopicPartition[])[]): Promise<Map<string, string>> {
  const names = new Set(lists.flatMap((tps) => tps.map((tp) => tp.topic)));
  return names.size === 0 ? new Map() : wireTopicIds(broker, [...names]);
}

/** Partitions named by topic id as partitions named by topic; an id no live topic has is left out (nobody can own it). */
export async function withTopicNames(broker: BrokerCalls, topics: readonly { topicId: string; partitions: readonly number[] }[]): Promise<GroupTopicPartition[]> {
  if (topics.every((t) => t.partitions.length === 0)) return [];
  const names = await topicNamesOf(broker, topics.map((t) => t.topicId));
  return topics.flatMap((t) => {
    const topic = names.get(t.topicId);
    return topic === undefined ? [] : t.partitions.map((partition) => ({ topic, partition }));
  });
}
