/** DeleteTopics, by name (a topic named only by its id is answered UNKNOWN_TOPIC_ID). */
import { API_KEYS, ZERO_UUID } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { sameTopic, settleEach } from '../settle-each.js';
import { codeOf, errorFields, wireTopicId } from '../wire-answers.js';

export const deleteTopics: ApiHandler<typeof API_KEYS.DeleteTopics> = {
  apiKey: API_KEYS.DeleteTopics,
  minVersion: 1,
  maxVersion: 6,
  async handle(request, ctx) {
    const asked = ctx.version >= 6 ? request.topics : request.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
    const names = asked.flatMap((t) => (t.name === null ? [] : [t.name]));
    const settled = await settleEach(names, sameTopic, async (topics) => {
      const reply = await ctx.broker.call<{ topics: { topic: string; topicId: string }[] }>('admin', { action: 'deleteTopics', topics });
      return reply.topics;
    });
    const byName = new Map(names.map((name, k) => [name, settled[k]!]));
    return {
      throttleTimeMs: 0,
      responses: asked.map((t) => {
        if (t.name === null) return { name: null, topicId: t.topicId, errorCode: codeOf('UnknownTopicId'), errorMessage: 'This gateway deletes topics by name only' };
        const s = byName.get(t.name)!;
        return { name: t.name, topicId: s.error === undefined ? wireTopicId(s.result.topicId) : ZERO_UUID, ...errorFields(s) };
      }),
    };
  },
};
