/** CreateTopics: the broker's createTopics; replication factor is the store's business and ignored. */
import type { CreatedTopic } from '../../protocol/admin-replies.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { sameTopic, settleEach } from '../settle-each.js';
import { errorFields, wireTopicId } from '../wire-answers.js';

export const createTopics: ApiHandler<typeof API_KEYS.CreateTopics> = {
  apiKey: API_KEYS.CreateTopics,
  minVersion: 2,
  maxVersion: 7,
  async handle(request, ctx) {
    const asks = request.topics.map((t) => ({
      topic: t.name,
      // Kafka asks for -1 partitions when it sends an assignment; the assignment's size is the count.
      ...(t.assignments.length > 0 ? { numPartitions: t.assignments.length } : t.numPartitions !== -1 ? { numPartitions: t.numPartitions } : {}),
      ...(t.configs.length > 0 ? { configEntries: t.configs.map((c) => ({ name: c.name, value: c.value ?? '' })) } : {}),
    }));
    const settled = await settleEach(asks, (a, c) => sameTopic(a.topic, c), async (topics) => {
      const reply = await ctx.broker.call<{ topics: CreatedTopic[] }>('admin', { action: 'createTopics', topics, validateOnly: request.validateOnly });
      return reply.topics;
    });
    return {
      throttleTimeMs: 0,
      topics: asks.map((a, k) => {
        const s = settled[k]!;
        return {
          name: a.topic,
          ...errorFields(s),
          ...(s.error === undefined ? { topicId: wireTopicId(s.result.topicId), numPartitions: s.result.numPartitions, replicationFactor: 1 } : { numPartitions: -1, replicationFactor: -1 }),
          configs: [],
        };
      }),
    };
  },
};
