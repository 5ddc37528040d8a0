/**
 * Kafka's IncrementalAlterConfigs: per key SET, DELETE (back to the
 * default), APPEND or SUBTRACT (list-typed keys only: cleanup.policy and
 * the throttled-replicas lists). Every operation of every topic is checked
 * before the one write that changes them all.
 */
import { KafkalessError } from '../../errors.js';
import type { ConfigOperationEntry, IncrementalAlterConfigsRequest } from '../../protocol/admin-config-requests.js';
import type { TopicConfigDescription } from '../../protocol/admin-replies.js';
import { listItems } from '../../protocol/config-types.js';
import {
  configType,
  isTopicConfigName,
  TOPIC_CONFIGS,
  unknownNameProblem,
  validateConfigEntries,
  type TopicConfigName,
  type TopicConfigOverrides,
} from '../../protocol/topic-config.js';
import type { AdminDeps } from './deps.js';
import { applyConfigPlan, requireConfigTopics, type ConfigPlan } from './topic-configs.js';
import { retryTopicRace } from './topic-race.js';

export async function incrementalAlterConfigs(deps: AdminDeps, request: IncrementalAlterConfigsRequest): Promise<{ topics: TopicConfigDescription[] }> {
  return retryTopicRace(() => incrementalAlterConfigsOnce(deps, request), deps.random);
}

async function incrementalAlterConfigsOnce(deps: AdminDeps, request: IncrementalAlterConfigsRequest): Promise<{ topics: TopicConfigDescription[] }> {
  const records = await requireConfigTopics(deps, request.topics.map((t) => t.topic));
  const plan = request.topics.map(({ topic, configEntries }, i): ConfigPlan => ({
    record: records[i]!,
    configs: applyOperations(records[i]!.configs, configEntries, topic),
  }));
  return applyConfigPlan(deps, plan, request.validateOnly === true);
}

/** The configs after the operations, every value validated; problems gathered into one `InvalidConfig`. */
export function applyOperations(current: TopicConfigOverrides, operations: readonly ConfigOperationEntry[], topic: string): TopicConfigOverrides {
  const names = operations.map((o) => o.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) {
    throw new KafkalessError('InvalidRequest', `Config '${twice}' appears twice for topic '${topic}'; give one operation per config.`, { context: { topic } });
  }
  const problems: string[] = [];
  const changes: Record<string, string | null> = {};
  for (const op of operations) {
    if (!isTopicConfigName(op.name)) {
      problems.push(unknownNameProblem(op.name));
      continue;
    }
    if (op.operation === 'DELETE') {
      changes[op.name] = null;
      continue;
    }
    if (op.value === undefined || op.value === null) {
      throw new KafkalessError('InvalidRequest', `${op.operation} of config '${op.name}' for topic '${topic}' needs a value.`, { context: { topic } });
    }
    if (op.operation === 'SET') {
      changes[op.name] = op.value;
      continue;
    }
    if (configType(op.name) !== 'list') {
      problems.push(`Config value ${op.operation === 'APPEND' ? 'append' : 'subtract'} is not allowed for config key: ${op.name} (${op.operation} applies to list-typed configs only; use SET)`);
      continue;
    }
    changes[op.name] = combineList(current, op.name, op.operation, op.value);
  }
  if (problems.length > 0) throw new KafkalessError('InvalidConfig', problems.join('; '), { context: { topic } });
  const validated = validateConfigEntries(changes, topic);
  const next: Record<string, string> = { ...current };
  for (const [name, value] of Object.entries(validated)) {
    if (value === null || value === undefined) delete next[name];
    else next[name] = value;
  }
  return next as TopicConfigOverrides;
}

/** APPEND adds the items not yet present; SUBTRACT removes the given items; both start from the current value or the default. */
function combineList(current: TopicConfigOverrides, name: TopicConfigName, operation: 'APPEND' | 'SUBTRACT', value: string): string {
  const base = listItems(current[name] ?? TOPIC_CONFIGS[name].defaultValue);
  const items = listItems(value);
  const result = operation === 'APPEND' ? [...base, ...items.filter((item) => !base.includes(item))] : base.filter((item) => !items.includes(item));
  return [...new Set(result)].join(',');
}
