/**
 * Metadata: this gateway is the cluster's only broker, leader of every
 * partition. Topics are never created by asking for them.
 */
import { API_KEYS, ZERO_UUID } from '../../wire/index.js';
import type { MetadataResponseTopic, WireInput } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { allTopicNames, lookUpTopics, type TopicMetadata } from '../topic-lookup.js';
import { codeOf, LEADER_EPOCH, wireTopicId } from '../wire-answers.js';

export const metadata: ApiHandler<typeof API_KEYS.Metadata> = {
  apiKey: API_KEYS.Metadata,
  minVersion: 1,
  maxVersion: 12,
  async handle(request, ctx) {
    const asked = request.topics === null ? (await allTopicNames(ctx.broker)).map((name) => ({ name, topicId: ZERO_UUID })) : request.topics;
    const found = await lookUpTopics(ctx.broker, asked.flatMap((t) => (t.name === null ? [] : [t.name])));
    const topics = asked.map((t) => {
      if (t.name === null) return { ...failedTopic(null, codeOf('UnknownTopicId')), topicId: t.topicId };
      const s = found.get(t.name)!;
      return s.error === undefined ? topicAnswer(s.result, ctx.node.nodeId) : failedTopic(t.name, codeOf(s.error.code));
    });
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
