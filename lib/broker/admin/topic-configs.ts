import { KafkalessError } from '../../errors.js';
import type { TopicConfigDescription } from '../../protocol/admin-replies.js';
import type { AlterConfigsRequest } from '../../protocol/admin-requests.js';
import { describeTopicConfig, validateConfigCombination, validateConfigEntries, type TopicConfigOverrides } from '../../protocol/topic-config.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import type { TopicRecord } from '../../storage/topic-store.js';
import type { AdminDeps } from './deps.js';
import { retryTopicRace } from './topic-race.js';

export async function describeConfigs(deps: AdminDeps, names: readonly string[]): Promise<{ topics: TopicConfigDescription[] }> {
  names.forEach(validateTopicName);
  const topics: TopicConfigDescription[] = [];
  for (const name of names) {
    const record = await deps.topics.require(name);
    topics.push({ topic: name, configEntries: describeTopicConfig(record.configs) });
  }
  return { topics };
}

/** A topic's configs as a request would leave them. */
export interface ConfigPlan {
  readonly record: TopicRecord;
  readonly configs: TopicConfigOverrides;
}

/** The live topics a config request names, each once (a topic named twice is `InvalidRequest`). */
export async function requireConfigTopics(deps: AdminDeps, names: readonly string[]): Promise<TopicRecord[]> {
  names.forEach(validateTopicName);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new KafkalessError('InvalidRequest', `Topic '${name}' appears twice in the request; give all its changes in one entry.`, { context: { topic: name } });
    seen.add(name);
  }
  const records: TopicRecord[] = [];
  for (const name of names) records.push(await deps.topics.require(name));
  return records;
}

/**
 * Checks each topic's resulting configs as a whole, then writes them all in
 * one transaction (nothing when `validateOnly`); a topic changed meanwhile
 * is `TopicChanged`, for retryTopicRace. Answers the configs as
 * describeConfigs would show them afterwards.
 */
export async function applyConfigPlan(deps: AdminDeps, plan: readonly ConfigPlan[], validateOnly: boolean): Promise<{ topics: TopicConfigDescription[] }> {
  for (const { record, configs } of plan) validateConfigCombination(configs, record.name);
  if (!validateOnly) await deps.topics.updateMany(plan.map(({ record, configs }) => ({ expected: record, change: { configs } })));
  return { topics: plan.map(({ record, configs }) => ({ topic: record.name, configEntries: describeTopicConfig(configs) })) };
}

/**
 * Sets (value) or removes (null: back to the default) config entries,
 * incrementally. Every topic and value is checked before any is changed.
 */
export async function alterConfigs(deps: AdminDeps, request: AlterConfigsRequest): Promise<{ topics: TopicConfigDescription[] }> {
  return retryTopicRace(() => alterConfigsOnce(deps, request), deps.random);
}

async function alterConfigsOnce(deps: AdminDeps, request: AlterConfigsRequest): Promise<{ topics: TopicConfigDescription[] }> {
  const records = await requireConfigTopics(deps, request.topics.map((t) => t.topic));
  const plan = request.topics.map(({ topic, configEntries }, i): ConfigPlan => {
    const entries: Record<string, string | null> = {};
    for (const e of configEntries) entries[e.name] = e.value;
    const changes = validateConfigEntries(entries, topic);
    const configs: Record<string, string> = { ...records[i]!.configs };
    for (const [name, value] of Object.entries(changes)) {
      if (value === null || value === undefined) delete configs[name];
      else configs[name] = value;
    }
    return { record: records[i]!, configs: configs as TopicConfigOverrides };
  });
  return applyConfigPlan(deps, plan, request.validateOnly === true);
}
