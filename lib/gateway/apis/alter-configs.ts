/**
 * AlterConfigs (the legacy form): a topic's configs become exactly the ones
 * given, as in Kafka: every topic key not given (or given a null value) goes
 * back to its default. The broker's alterConfigs changes only the keys it is
 * given, so it is given every topic key (a value, or null for the default),
 * and the whole replacement is one write. Broker resources are refused.
 */
import { TOPIC_CONFIG_NAMES } from '../../protocol/topic-config.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { settleAlterations } from '../settle-alterations.js';

export const alterConfigs: ApiHandler<typeof API_KEYS.AlterConfigs> = {
  apiKey: API_KEYS.AlterConfigs,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, ctx) {
    const responses = await settleAlterations(
      request.resources,
      (r) => {
        const given = new Map(r.configs.flatMap((c) => (c.value === null ? [] : [[c.name, c.value] as const])));
        const reset = TOPIC_CONFIG_NAMES.filter((name) => !given.has(name)).map((name) => ({ name, value: null }));
        return { topic: r.resourceName, configEntries: [...[...given].map(([name, value]) => ({ name, value })), ...reset] };
      },
      async (topics) => (await ctx.broker.call<{ topics: unknown[] }>('admin', { action: 'alterConfigs', topics, validateOnly: request.validateOnly })).topics,
    );
    return { throttleTimeMs: 0, responses };
  },
};
