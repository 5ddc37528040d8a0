/**
 * Resets a group's committed offsets of one topic to the earliest or latest
 * offset, the first offset at or after a timestamp (through the batch
 * index, as ListOffsets), a given offset or the committed one shifted by N
 * (both clamped to the log, as kafka-consumer-groups does), or the
 * committed one (the log end where none is). Only while the group has no
 * live members. This is the explicit reset, the one way a group's offsets
 * move back.
 */
import { KafkalessError } from '../../errors.js';
import type { ResetOffsetsReply } from '../../protocol/group-replies.js';
import type { ResetOffsetsRequest, ResetTarget } from '../../protocol/group-requests.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import { tpKey, type OffsetRecord } from '../../storage/group-records.js';
import type { PartitionHead } from '../../storage/partition-heads.js';
import type { TopicRecord } from '../../storage/topic-store.js';
import { listOffsets } from '../fetch/list-offsets.js';
import { runGroupStep } from './coordinator.js';
import { OFFSETS_PER_GROUP_STEP } from './defaults.js';
import type { GroupDeps } from './deps.js';
import { nonEmptyGroup, settleGroup } from './expire-step.js';
import { validateGroupId } from './validate.js';

export async function resetOffsets(deps: GroupDeps, request: ResetOffsetsRequest): Promise<ResetOffsetsReply> {
  validateGroupId(request.groupId);
  validateTopicName(request.topic);
  const topic = await deps.topicStore.require(request.topic);
  const partitions = partitionsToReset(topic, request.partitions);
  const heads = await deps.heads.getMany(topic.topicId, partitions);
  const stored = await deps.store.getOffsets(request.groupId, partitions.map((partition) => ({ topic: topic.name, partition })));
  const previous = partitions.map((partition) => stored.get(tpKey({ topic: topic.name, partition }))?.offset ?? null);
  const targets = await targetOffsets(deps, topic, heads, previous, request.to);
  const offsets = partitions.map((partition, i) => ({ topic: topic.name, partition, offset: targets[i]!, previousOffset: previous[i]! }));
  const dryRun = request.dryRun === true;
  if (dryRun) await checkInactive(deps, request.groupId);
  else await write(deps, request.groupId, offsets);
  return { offsets, dryRun };
}

function partitionsToReset(topic: TopicRecord, asked: readonly number[] | undefined): number[] {
  const partitions = asked === undefined ? Array.from({ length: topic.partitions }, (_, p) => p) : [...new Set(asked)].sort((a, b) => a - b);
  const missing = partitions.find((p) => p >= topic.partitions);
  if (missing !== undefined) {
    throw new KafkalessError('UnknownTopicOrPartition', `Topic '${topic.name}' has ${topic.partitions} partition(s); partition ${missing} does not exist`, {
      context: { topic: topic.name, partition: missing },
    });
  }
  return partitions;
}

const clamp = (offset: number, h: PartitionHead): number => Math.min(Math.max(offset, h.logStartOffset), h.highWatermark);

async function targetOffsets(deps: GroupDeps, topic: TopicRecord, heads: readonly PartitionHead[], previous: readonly (number | null)[], to: ResetTarget): Promise<number[]> {
  if (to === 'earliest') return heads.map((h) => h.logStartOffset);
  if (to === 'latest') return heads.map((h) => h.highWatermark);
  if (to === 'current') return heads.map((h, i) => previous[i] ?? h.highWatermark);
  if ('offset' in to) return heads.map((h) => clamp(to.offset, h));
  if ('shiftBy' in to) {
    return heads.map((h, i) => {
      const committed = previous[i];
      if (committed === null || committed === undefined) {
        throw new KafkalessError('InvalidRequest', `Cannot shift the offset of partition ${h.partition} of '${topic.name}': the group has no committed offset there`, {
          context: { topic: topic.name, partition: h.partition, field: 'to.shiftBy' },
        });
      }
      return clamp(committed + to.shiftBy, h);
    });
  }
  const reply = await listOffsets(byTimeDeps(deps), {
    action: 'listOffsets',
    partitions: heads.map((h) => ({ topic: topic.name, partition: h.partition, timestamp: to.timestamp })),
  });
  // No record at or after the time: the end of the log, as kafka-consumer-groups --to-datetime.
  return reply.partitions.map((p, i) => (p.offset < 0 ? heads[i]!.highWatermark : p.offset));
}

function byTimeDeps(deps: GroupDeps): ReturnType<GroupDeps['offsetsByTime']> {
  try {
    return deps.offsetsByTime();
  } catch (err) {
    throw new KafkalessError('UnsupportedVersion', 'Resetting to a timestamp needs read access to the batch index and the log bucket, which this group function was not given', {
      cause: err,
    });
  }
}

async function checkInactive(deps: GroupDeps, groupId: string): Promise<void> {
  const loaded = await deps.store.load(groupId);
  const settled = settleGroup(groupId, loaded, { nowMs: deps.now(), topics: await deps.topics.view(), newMemberId: () => '' });
  if (settled.state.members.length > 0) throw nonEmptyGroup(groupId, 'reset offsets of', settled.state.members.length);
}

async function write(deps: GroupDeps, groupId: string, offsets: readonly { topic: string; partition: number; offset: number }[]): Promise<void> {
  for (let i = 0; i < offsets.length; i += OFFSETS_PER_GROUP_STEP) {
    const chunk = offsets.slice(i, i + OFFSETS_PER_GROUP_STEP);
    await runGroupStep<undefined>(deps, groupId, (loaded, env) => {
      const settled = settleGroup(groupId, loaded, env);
      if (settled.state.members.length > 0) {
        return { state: settled.state, write: settled.changed, error: nonEmptyGroup(groupId, 'reset offsets of', settled.state.members.length) };
      }
      const records: OffsetRecord[] = chunk.map((o) => ({ ...o, metadata: '', commitTimeMs: env.nowMs }));
      return { state: settled.state, write: true, reply: undefined, offsets: records };
    });
  }
}
