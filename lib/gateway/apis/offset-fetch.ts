/**
 * OffsetFetch v1-9 (v8+: several groups in one request) onto the group
 * function's `fetchOffsets`. v9's member id and epoch (KIP-848 consumers)
 * are not checked: the offsets are answered to anyone who asks, as to a
 * classic member. A partition asked for without a committed
 * offset is answered -1, as is every partition of a group that does not
 * exist (Kafka answers those without an error). RequireStable (v7+) is
 * ignored: a transaction's offsets become visible only when it commits, so
 * there are never pending offsets to wait for.
 */
import type { FetchOffsetsReply, CommittedOffset } from '../../protocol/group-replies.js';
import { KafkalessError } from '../../errors.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiContext, ApiHandler } from '../api-handler.js';
import { groupErrorCode } from './classic-wait.js';

interface AskedTopic {
  readonly name: string;
  readonly partitionIndexes: readonly number[];
}

interface GroupAnswer {
  readonly errorCode: number;
  readonly topics: { name: string; partitions: { partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number; metadata: string | null; errorCode: number }[] }[];
}

export const offsetFetch: ApiHandler<typeof API_KEYS.OffsetFetch> = {
  apiKey: API_KEYS.OffsetFetch,
  minVersion: 1,
  maxVersion: 9,
  async handle(request, ctx) {
    if (ctx.version >= 8) {
      const groups = await Promise.all(request.groups.map(async (g) => ({ groupId: g.groupId, ...(await fetchGroup(ctx, g.groupId, g.topics)) })));
      return { throttleTimeMs: 0, topics: [], errorCode: 0, groups };
    }
    const answer = await fetchGroup(ctx, request.groupId, request.topics);
    // v1 has no top-level error: a group error is every partition's.
    const topics = ctx.version >= 2 ? answer.topics : answer.topics.map((t) => ({ ...t, partitions: t.partitions.map((p) => ({ ...p, errorCode: p.errorCode || answer.errorCode })) }));
    return { throttleTimeMs: 0, topics, errorCode: answer.errorCode, groups: [] };
  },
};

async function fetchGroup(ctx: ApiContext, groupId: string, asked: readonly AskedTopic[] | null): Promise<GroupAnswer> {
  let offsets: readonly CommittedOffset[];
  try {
    const topics = asked === null ? undefined : [...new Set(asked.map((t) => t.name))];
    offsets = (await ctx.broker.call<FetchOffsetsReply>('group', { action: 'fetchOffsets', groupId, ...(topics !== undefined ? { topics } : {}) })).offsets;
  } catch (err) {
    if (err instanceof KafkalessError && err.code === 'GroupIdNotFound') offsets = [];
    else return { errorCode: groupErrorCode(err), topics: (asked ?? []).map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => row(p, undefined)) })) };
  }
  if (asked === null) {
    const byTopic = new Map<string, CommittedOffset[]>();
    for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o]);
    return { errorCode: 0, topics: [...byTopic].map(([name, list]) => ({ name, partitions: list.map((o) => row(o.partition, o)) })) };
  }
  const stored = new Map(offsets.map((o) => [`${o.topic}#${o.partition}`, o]));
  return { errorCode: 0, topics: asked.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => row(p, stored.get(`${t.name}#${p}`))) })) };
}

function row(partitionIndex: number, offset: CommittedOffset | undefined) {
  return {
    partitionIndex,
    committedOffset: BigInt(offset?.offset ?? -1),
    committedLeaderEpoch: offset?.leaderEpoch ?? -1,
    metadata: offset?.metadata ?? '',
    errorCode: 0,
  };
}
