/**
 * OffsetDelete (Java's deleteConsumerGroupOffsets): removes a group's
 * committed offsets of some partitions. The group must exist
 * (GroupIdNotFound) and the partitions too (UnknownTopicOrPartition); a
 * topic that a live member subscribes to, or holds partitions of, is refused
 * with GroupSubscribedToTopic, as Kafka does. Everything is checked before
 * anything is removed, and each removal is a group step, so a member that
 * joins meanwhile with that subscription stops it.
 */
import { KafkalessError } from '../../errors.js';
import type { DeleteOffsetsReply, GroupTopicPartition } from '../../protocol/group-replies.js';
import type { DeleteOffsetsRequest } from '../../protocol/group-requests.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import { compareTps, ownedBy, tpKey, type GroupState } from '../../storage/group-records.js';
import { runGroupStep } from './coordinator.js';
import { OFFSETS_PER_GROUP_STEP } from './defaults.js';
import type { GroupDeps } from './deps.js';
import { groupNotFound, settleGroup } from './expire-step.js';
import { subscribedTopicsOf } from './target.js';
import type { TopicsView } from './topics-view.js';
import { validateGroupId } from './validate.js';

export async function deleteOffsets(deps: GroupDeps, request: DeleteOffsetsRequest): Promise<DeleteOffsetsReply> {
  const { groupId } = request;
  validateGroupId(groupId);
  request.topics.forEach((t) => validateTopicName(t.topic));
  const loaded = await deps.store.load(groupId);
  if (loaded === undefined || loaded.meta.state === 'DEAD') throw groupNotFound(groupId);
  const named = [...new Set(request.topics.map((t) => t.topic))];
  let partitions: GroupTopicPartition[];
  try {
    partitions = expand(request, await deps.topics.view(named));
  } catch {
    // The cached topic list may predate a topic or partitions created since: look again before refusing.
    deps.topics.forget();
    partitions = expand(request, await deps.topics.view(named));
  }
  for (let i = 0; i < partitions.length; i += OFFSETS_PER_GROUP_STEP) {
    const chunk = partitions.slice(i, i + OFFSETS_PER_GROUP_STEP);
    await runGroupStep<undefined>(deps, groupId, (current, env) => {
      if (current === undefined || current.meta.state === 'DEAD') return { state: settleGroup(groupId, undefined, env).state, write: false, error: groupNotFound(groupId) };
      const settled = settleGroup(groupId, current, env);
      const subscribed = subscribedTopic(settled.state, named, env.topics);
      if (subscribed !== undefined) return { state: settled.state, write: settled.changed, error: subscribedError(groupId, subscribed) };
      return { state: settled.state, write: true, reply: undefined, deleteOffsets: chunk };
    });
  }
  return { partitions };
}

/** Every partition the request names (all of a topic's when it names none), sorted; unknown ones are refused. */
function expand(request: DeleteOffsetsRequest, topics: TopicsView): GroupTopicPartition[] {
  const out = new Map<string, GroupTopicPartition>();
  for (const { topic, partitions } of request.topics) {
    const live = topics.get(topic);
    if (live === undefined) throw new KafkalessError('UnknownTopicOrPartition', `Topic '${topic}' does not exist`, { context: { topic } });
    const wanted = partitions ?? Array.from({ length: live.partitions }, (_, p) => p);
    for (const partition of wanted) {
      if (partition >= live.partitions) {
        throw new KafkalessError('UnknownTopicOrPartition', `Topic '${topic}' has ${live.partitions} partition(s); partition ${partition} does not exist`, {
          context: { topic, partition },
        });
      }
      out.set(tpKey({ topic, partition }), { topic, partition });
    }
  }
  return [...out.values()].sort(compareTps);
}

/** The first of these topics a live member subscribes to or holds partitions of. */
function subscribedTopic(state: GroupState, topics: readonly string[], view: TopicsView): string | undefined {
  const inUse = new Set<string>();
  for (const m of state.members) {
    for (const t of subscribedTopicsOf(m, view)) inUse.add(t);
    for (const tp of ownedBy(m)) inUse.add(tp.topic);
  }
  return topics.find((t) => inUse.has(t));
}

function subscribedError(groupId: string, topic: string): KafkalessError {
  return new KafkalessError(
    'GroupSubscribedToTopic',
    `Group '${groupId}' has live members subscribed to '${topic}'; its offsets can be deleted only when no member consumes it (stop those consumers or change their subscription)`,
    { context: { groupId, topic } },
  );
}
