/**
 * Metadata: this gateway is the cluster's only broker, leader of every
 * partition. Topics are never created by asking for them.
 */
import type { MetadataReply } from '../../protocol/log-replies.js';
import { MAX_TOPICS_PER_LOOKUP } from '../../limits.js';
import { API_KEYS, ZERO_UUID } from '../../wire/index.js';
import type { MetadataResponseTopic, WireInput } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { sameTopic, settleEach } from '../settle-each.js';
import { codeOf, LEADER_EPOCH, wireTopicId } from '../wire-answers.js';

type TopicMetadata = MetadataReply['topics'][number];

async function allTopicNames(ctx: Parameters<ApiHandler<typeof API_KEYS.Metadata>['handle']>[1]): Promise<string[]> {
  const listed = await ctx.broker.call<{ topics: string[] }>('admin', { action: 'listTopics' });
  return listed.topics;
}

export const metadata: ApiHandler<typeof API_KEYS.Metadata> = {
  apiKey: API_KEYS.Metadata,
  minVersion: 1,
  maxVersion: 12,
  async handle(request, ctx) {
    const asked = request.topics === null ? (await allTopicNames(ctx)).map((name) => ({ name, topicId: ZERO_UUID })) : request.topics;
    const named = asked.filter((t): t is { name: string; topicId: string } => t.name !== null);
    const found = new Map<string, WireInput<MetadataResponseTopic>>();
    for (let i = 0; i < named.length; i += MAX_TOPICS_PER_LOOKUP) {
      const chunk = named.slice(i, i + MAX_TOPICS_PER_LOOKUP).map((t) => t.name);
      const settled = await settleEach(chunk, sameTopic, async (names) => (await ctx.broker.call<MetadataReply>('fetch', { action: 'metadata', topics: names })).topics);
      chunk.forEach((name, k) => {
        const s = settled[k]!;
        found.set(name, s.error === undefined ? topicAnswer(s.result, ctx.node.nodeId) : failedTopic(name, codeOf(s.error.code)));
      });
    }
    const topics = asked.map((t) =>
      t.name === null ? { ...failedTopic(null, codeOf('UnknownTopicId')), topicId: t.topicId } : found.get(t.name)!,
    );
    return {
      throttleTimeMs: 0,
      brokers: [{ nodeId: ctx.node.nodeId, host: ctx.node.host, port: ctx.node.port, rack: null }],
      clusterId: ctx.clusterId,
      controllerId: ctx.node.nodeId,
      topics,
    };
  },
};

function topicAnswer(t: TopicMetadata, nodeId: number): WireInput<MetadataResponseTopic> {
  return {
    errorCode: 0,
    name: t.topic,
    topicId: wireTopicId(t.topicId),
    isInternal: false,
    partitions: Array.from({ length: t.partitions }, (_, partitionIndex) => ({
      errorCode: 0,
      partitionIndex,
      leaderId: nodeId,
      leaderEpoch: LEADER_EPOCH,
      replicaNodes: [nodeId],
      isrNodes: [nodeId],
      offlineReplicas: [],
    })),
  };
}

function failedTopic(name: string | null, errorCode: number): WireInput<MetadataResponseTopic> {
  return { errorCode, name, topicId: ZERO_UUID, isInternal: false, partitions: [] };
}
