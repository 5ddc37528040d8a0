import { KafkalessError } from '../../errors.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import type { TopicRecord } from '../../storage/topic-store.js';
import type { AdminDeps } from './deps.js';

/**
 * Deletes the named topics at once (all or none): their names are free again
 * immediately; their data is removed by maintenance afterwards.
 */
export async function deleteTopics(deps: AdminDeps, names: readonly string[]): Promise<{ topics: { topic: string; topicId: string }[] }> {
  names.forEach(validateTopicName);
  if (new Set(names).size !== names.length) throw new KafkalessError('InvalidRequest', 'A topic appears twice in the request');
  const records: TopicRecord[] = [];
  for (const name of names) records.push(await deps.topics.require(name));
  await deps.topics.delete(records, new Date(deps.now()).toISOString());
  return { topics: records.map((r) => ({ topic: r.name, topicId: r.topicId })) };
}
