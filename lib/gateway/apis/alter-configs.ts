/**
 * AlterConfigs (the legacy form): a topic's configs become exactly the ones
 * given, as in Kafka: every topic key not given goes back to its default (a
 * key given twice, or with a null value, is INVALID_REQUEST, as Kafka). The broker's alterConfigs changes only the keys it is
 * given, so it is given every topic key (a value, or null for the default),
 * and the whole replacement is one write. Broker resources are refused.
 */
import { KafkalessError } from '../../errors.js';
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
        const names = r.configs.map((c) => c.name);
        const twice = names.filter((n, k) => names.indexOf(n) !== k);
        if (twice.length > 0) return new KafkalessError('InvalidRequest', `Config ${[...new Set(twice)].join(', ')} appears more than once for '${r.resourceName}'; give each once`);
        const nulls = r.configs.filter((c) => c.value === null).map((c) => c.name);
        if (nulls.length > 0) return new KafkalessError('InvalidRequest', `Null value not supported for : ${nulls.join(', ')} (leave a config out to return it to its default)`);
        const given = new Set(names);
        const reset = TOPIC_CONFIG_NAMES.filter((name) => !given.has(name)).map((name) => ({ name, value: null }));
        return { topic: r.resourceName, configEntries: [...r.configs.map((c) => ({ name: c.name, value: c.value })), ...reset] };
      },
      async (topics) => (await ctx.broker.call<{ topics: unknown[] }>('admin', { action: 'alterConfigs', topics, validateOnly: request.validateOnly })).topics,
    );
    return { throttleTimeMs: 0, responses };
  },
};
