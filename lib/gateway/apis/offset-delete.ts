/**
 * OffsetDelete: the group function's `deleteOffsets`. A group that does not
 * exist is the answer's error; a topic that a live member subscribes to
 * (GROUP_SUBSCRIBED_TO_TOPIC), or a topic or partition that does not exist
 * (UNKNOWN_TOPIC_OR_PARTITION), is answered per partition, and the others
 * are deleted, as Kafka answers. Deleting an offset is idempotent, so
 * asking the broker again for the rest after one was refused is safe.
 */
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { asKafkalessError, sameTopic, settleEach, type Settled } from '../settle-each.js';
import { errorFields } from '../wire-answers.js';

interface TopicAsk {
  readonly topic: string;
  readonly partitions: number[];
}

export const offsetDelete: ApiHandler<typeof API_KEYS.OffsetDelete> = {
  apiKey: API_KEYS.OffsetDelete,
  minVersion: 0,
  maxVersion: 0,
  async handle(request, ctx) {
    const asks = mergedAsks(request.topics.map((t) => ({ topic: t.name, partitions: t.partitions.map((p) => p.partitionIndex) })));
    const run = async (items: readonly TopicAsk[]) => {
      await ctx.broker.call('group', { action: 'deleteOffsets', groupId: request.groupId, topics: items });
      return items.map(() => true);
    };
    const asked = asks.filter((a) => a.partitions.length > 0);
    let settled: Map<string, Settled<boolean>[]>;
    try {
      if (asked.length > 0) await run(asked);
      settled = new Map(asked.map((a) => [a.topic, a.partitions.map(() => ({ result: true }))]));
    } catch (err) {
      const error = asKafkalessError(err);
      // An error that names no topic is the group's (GROUP_ID_NOT_FOUND, …): the whole answer's.
      if (error.context.topic === undefined) return { errorCode: errorFields({ error }).errorCode, throttleTimeMs: 0, topics: [] };
      settled = await settlePartitions(asked, run);
    }
    return {
      errorCode: 0,
      throttleTimeMs: 0,
      topics: asks.map((a) => ({ name: a.topic, partitions: a.partitions.map((partitionIndex, k) => ({ partitionIndex, errorCode: errorFields(settled.get(a.topic)![k]!).errorCode })) })),
    };
  },
};

/** Per topic, then, for a topic refused for one of its partitions, per partition. */
async function settlePartitions(asks: readonly TopicAsk[], run: (items: readonly TopicAsk[]) => Promise<boolean[]>): Promise<Map<string, Settled<boolean>[]>> {
  const byTopic = await settleEach(asks, (a, c) => sameTopic(a.topic, c), run);
  const out = new Map<string, Settled<boolean>[]>();
  for (const [k, a] of asks.entries()) {
    const s = byTopic[k]!;
    if (s.error === undefined || s.error.context.partition === undefined || a.partitions.length === 1) {
      out.set(a.topic, a.partitions.map(() => s));
      continue;
    }
    const single = a.partitions.map((p) => ({ topic: a.topic, partitions: [p] }));
    out.set(a.topic, await settleEach(single, (item, c) => c.topic === item.topic && c.partition === item.partitions[0], run));
  }
  return out;
}

/** One ask per topic (a topic named twice has its partitions merged), partitions distinct, in the order first named. */
function mergedAsks(asks: readonly TopicAsk[]): TopicAsk[] {
  const merged = new Map<string, Set<number>>();
  for (const a of asks) {
    const set = merged.get(a.topic) ?? new Set<number>();
    for (const p of a.partitions) set.add(p);
    merged.set(a.topic, set);
  }
  return [...merged].map(([topic, partitions]) => ({ topic, partitions: [...partitions] }));
}

