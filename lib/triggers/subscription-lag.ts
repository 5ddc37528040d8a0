/**
 * How far a subscription is behind, per partition of its topics: the log
 * end offset minus the group's committed offset (minus the log start offset
 * when nothing is committed yet). Read through the admin client, so it works
 * on the local stack and a deployed one alike.
 */
import type { Admin } from '../client/admin.js';
import { KafkalessError } from '../errors.js';

export interface SubscriptionRef {
  readonly name: string;
  readonly groupId: string;
  readonly topics: readonly string[];
}

export interface PartitionLag {
  readonly subscription: string;
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  /** -1 when nothing is committed. */
  readonly committed: number;
  readonly logEnd: number;
  readonly lag: number;
}

export async function subscriptionLag(admin: Admin, sub: SubscriptionRef): Promise<PartitionLag[]> {
  const committed = new Map<string, number>();
  try {
    for (const t of await admin.fetchOffsets({ groupId: sub.groupId, topics: sub.topics })) {
      for (const p of t.partitions) committed.set(`${t.topic}#${p.partition}`, Number(p.offset));
    }
  } catch (err) {
    if (!(err instanceof KafkalessError && err.code === 'GroupIdNotFound')) throw err;
  }
  const rows: PartitionLag[] = [];
  for (const topic of sub.topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      const done = committed.get(`${topic}#${p.partition}`) ?? -1;
      const logEnd = Number(p.high);
      rows.push({ subscription: sub.name, groupId: sub.groupId, topic, partition: p.partition, committed: done, logEnd, lag: Math.max(0, logEnd - (done >= 0 ? done : Number(p.low))) });
    }
  }
  return rows;
}
