import type { TopicConfigDescription } from '../../protocol/admin-replies.js';
import type { AlterConfigsRequest } from '../../protocol/admin-requests.js';
import { describeTopicConfig, validateConfigEntries, type TopicConfigOverrides } from '../../protocol/topic-config.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import type { TopicRecord } from '../../storage/topic-store.js';
import type { AdminDeps } from './deps.js';

export async function describeConfigs(deps: AdminDeps, names: readonly string[]): Promise<{ topics: TopicConfigDescription[] }> {
  names.forEach(validateTopicName);
  const topics: TopicConfigDescription[] = [];
  for (const name of names) {
    const record = await deps.topics.require(name);
    topics.push({ topic: name, configEntries: describeTopicConfig(record.configs) });
  }
  return { topics };
}

/**
 * Sets (value) or removes (null: back to the default) config entries,
 * incrementally as Kafka's incrementalAlterConfigs. Every topic and value is
 * checked before any is changed.
 */
export async function alterConfigs(deps: AdminDeps, request: AlterConfigsRequest): Promise<{ topics: TopicConfigDescription[] }> {
  const plan: { record: TopicRecord; configs: TopicConfigOverrides }[] = [];
  for (const { topic, configEntries } of request.topics) {
    validateTopicName(topic);
    const entries: Record<string, string | null> = {};
    for (const e of configEntries) entries[e.name] = e.value;
    const changes = validateConfigEntries(entries, topic);
    const record = await deps.topics.require(topic);
    const configs: Record<string, string> = { ...record.configs };
    for (const [name, value] of Object.entries(changes)) {
      if (value === null || value === undefined) delete configs[name];
      else configs[name] = value;
    }
    plan.push({ record, configs: configs as TopicConfigOverrides });
  }
  const topics: TopicConfigDescription[] = [];
  for (const { record, configs } of plan) {
    if (request.validateOnly !== true) await deps.topics.update(record, { configs });
    topics.push({ topic: record.name, configEntries: describeTopicConfig(configs) });
  }
  return { topics };
}
