/**
 * DescribeConfigs: a topic's configs from the broker's describeConfigs
 * (every one of the topic keys, explicit or default); this gateway's broker
 * answered with its read-only set (broker-configs.ts); any other resource
 * type is INVALID_REQUEST. Keys asked for that do not exist are left out,
 * as Kafka does; no keys asked for is all of them.
 */
import type { KafkalessError } from '../../errors.js';
import { MAX_TOPICS_PER_LOOKUP } from '../../limits.js';
import type { TopicConfigDescription } from '../../protocol/admin-replies.js';
import type { ConfigType } from '../../protocol/config-types.js';
import type { ConfigEntryDescription } from '../../protocol/topic-config.js';
import { API_KEYS } from '../../wire/index.js';
import type { DescribeConfigsResponseDescribeConfigsResourceResult, WireInput } from '../../wire/index.js';
import type { ApiContext, ApiHandler } from '../api-handler.js';
import { BROKER_SYNONYMS, brokerConfigs } from '../broker-configs.js';
import { CONFIG_SOURCE, configTypeCode, isThisBroker, otherBrokerRefusal, RESOURCE_BROKER, RESOURCE_TOPIC, unservedTypeRefusal } from '../config-resources.js';
import { chunksOf, sameTopic, settleEach, type Settled } from '../settle-each.js';
import { errorFields } from '../wire-answers.js';

type ConfigAnswer = WireInput<DescribeConfigsResponseDescribeConfigsResourceResult>;

/** What the version carries and the request asked for. */
interface Shown {
  readonly version: number;
  readonly synonyms: boolean;
  readonly documentation: boolean;
}

export const describeConfigs: ApiHandler<typeof API_KEYS.DescribeConfigs> = {
  apiKey: API_KEYS.DescribeConfigs,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    const shown: Shown = { version: ctx.version, synonyms: ctx.version >= 1 && request.includeSynonyms, documentation: ctx.version >= 3 && request.includeDocumentation };
    const topics = await describeTopics(
      request.resources.filter((r) => r.resourceType === RESOURCE_TOPIC).map((r) => r.resourceName),
      ctx,
    );
    return {
      throttleTimeMs: 0,
      results: request.resources.map((r) => {
        // As Kafka: null or no keys is every config.
        const keys = r.configurationKeys === null || r.configurationKeys.length === 0 ? undefined : new Set(r.configurationKeys);
        const answer = (settled: Settled<ConfigAnswer[]>) => ({
          resourceType: r.resourceType,
          resourceName: r.resourceName,
          ...errorFields(settled),
          configs: settled.error === undefined ? settled.result.filter((c) => keys === undefined || keys.has(c.name!)) : [],
        });
        if (r.resourceType === RESOURCE_TOPIC) {
          const s = topics.get(r.resourceName)!;
          return answer(s.error === undefined ? { result: s.result.configEntries.map((e) => topicConfigAnswer(e, shown)) } : s);
        }
        if (r.resourceType === RESOURCE_BROKER) {
          return answer(isThisBroker(r.resourceName, ctx.node.nodeId) ? { result: brokerConfigAnswers(ctx.node.nodeId, shown) } : refused(otherBrokerRefusal(r.resourceName, ctx.node.nodeId)));
        }
        return answer(refused(unservedTypeRefusal(r.resourceType)));
      }),
    };
  },
};

const refused = (error: KafkalessError): Settled<never> => ({ error });

/** Each named topic described once, however often it is named. */
async function describeTopics(names: readonly string[], ctx: ApiContext): Promise<Map<string, Settled<TopicConfigDescription>>> {
  const out = new Map<string, Settled<TopicConfigDescription>>();
  for (const chunk of chunksOf([...new Set(names)], MAX_TOPICS_PER_LOOKUP)) {
    const settled = await settleEach(chunk, sameTopic, async (topics) => {
      const reply = await ctx.broker.call<{ topics: TopicConfigDescription[] }>('admin', { action: 'describeConfigs', topics });
      return reply.topics;
    });
    chunk.forEach((name, k) => out.set(name, settled[k]!));
  }
  return out;
}

function topicConfigAnswer(e: ConfigEntryDescription, shown: Shown): ConfigAnswer {
  const source = e.isDefault ? CONFIG_SOURCE.DEFAULT_CONFIG : CONFIG_SOURCE.DYNAMIC_TOPIC_CONFIG;
  const brokerName = BROKER_SYNONYMS[e.name];
  const defaultSynonym = { name: brokerName ?? e.name, value: e.defaultValue, source: CONFIG_SOURCE.DEFAULT_CONFIG };
  return versioned(shown, {
    name: e.name,
    value: e.value,
    readOnly: e.readOnly,
    isDefault: e.isDefault,
    source,
    isSensitive: e.isSensitive,
    synonyms: [...(e.isDefault ? [] : [{ name: e.name, value: e.value, source }]), defaultSynonym],
    type: e.type,
    documentation: e.documentation,
  });
}

function brokerConfigAnswers(nodeId: number, shown: Shown): ConfigAnswer[] {
  return brokerConfigs(nodeId).map((c) =>
    versioned(shown, {
      name: c.name,
      value: c.value,
      readOnly: true,
      isDefault: c.source === CONFIG_SOURCE.DEFAULT_CONFIG,
      source: c.source,
      isSensitive: false,
      synonyms: [{ name: c.name, value: c.value, source: c.source }],
      type: c.type,
      documentation: c.documentation,
    }),
  );
}

interface ConfigFacts {
  readonly name: string;
  readonly value: string;
  readonly readOnly: boolean;
  readonly isDefault: boolean;
  readonly source: number;
  readonly isSensitive: boolean;
  readonly synonyms: readonly { name: string; value: string; source: number }[];
  readonly type: ConfigType;
  readonly documentation: string;
}

/** One config as the version carries it: isDefault in v0 only, sources and synonyms from v1, type and documentation from v3. */
function versioned(shown: Shown, c: ConfigFacts): ConfigAnswer {
  return {
    name: c.name,
    value: c.value,
    readOnly: c.readOnly,
    isSensitive: c.isSensitive,
    ...(shown.version === 0 ? { isDefault: c.isDefault } : { configSource: c.source }),
    ...(shown.synonyms ? { synonyms: c.synonyms } : {}),
    ...(shown.version >= 3 ? { configType: configTypeCode(c.type), documentation: shown.documentation ? c.documentation : null } : {}),
  };
}
