/** ListGroups and DescribeGroups, with each partition's committed offset, log end offset and lag. */
import type { GroupDescription, GroupListing, MemberDescription, PartitionLag } from '../../protocol/group-replies.js';
import { committedOffsets, compareTps, ownedBy, tpKey, type GroupMember, type GroupMeta, type GroupState, type OffsetRecord } from '../../storage/group-records.js';
import type { GroupDeps } from './deps.js';
import { groupNotFound, settleGroup } from './expire-step.js';
import type { TopicsView } from './topics-view.js';
import { validateGroupId } from './validate.js';

export async function listGroups(deps: GroupDeps): Promise<{ groups: GroupListing[] }> {
  const metas = await deps.store.listMetas();
  return { groups: metas.map((m) => ({ groupId: m.groupId, state: m.state, members: m.memberCount, ...typeOf(m) })) };
}

/** A classic group's type and protocol type; nothing for a consumer group (absent means consumer). */
function typeOf(meta: GroupMeta): Pick<GroupListing, 'type' | 'protocolType'> {
  return meta.classic === undefined ? {} : { type: 'classic', protocolType: meta.classic.protocolType };
}

export async function describeGroups(deps: GroupDeps, groupIds: readonly string[]): Promise<{ groups: GroupDescription[] }> {
  groupIds.forEach(validateGroupId);
  const groups: GroupDescription[] = [];
  for (const groupId of groupIds) {
    const loaded = await deps.store.load(groupId);
    if (loaded === undefined || loaded.meta.state === 'DEAD') throw groupNotFound(groupId);
    const topics = await deps.topics.view();
    // As the group stands now: members past their session are shown gone (the next step removes them).
    const { state } = settleGroup(groupId, loaded, { nowMs: deps.now(), topics, newMemberId: () => '' });
    const offsets = committedOffsets(loaded.stored);
    groups.push({
      groupId,
      state: state.meta.state,
      assignor: state.meta.assignor,
      groupEpoch: state.meta.groupEpoch,
      assignmentEpoch: state.meta.assignmentEpoch,
      members: state.members.map((m) => describeMember(m, state)),
      partitions: await partitionLags(deps, state, offsets, topics),
      ...typeOf(state.meta),
      ...(state.meta.classic?.protocolName !== undefined && state.meta.classic.protocolName !== '' ? { protocolName: state.meta.classic.protocolName } : {}),
    });
  }
  return { groups };
}

function describeMember(m: GroupMember, state: GroupState): MemberDescription {
  return {
    memberId: m.memberId,
    ...(m.instanceId !== undefined ? { instanceId: m.instanceId } : {}),
    clientId: m.clientId ?? '',
    clientHost: m.clientHost ?? '',
    memberEpoch: m.leftStatic === true ? -2 : m.memberEpoch,
    assignment: m.assigned,
    revoking: m.revoking,
    targetAssignment: state.meta.targetAssignment[m.memberId] ?? [],
    ...(m.subscribedTopics !== undefined ? { subscribedTopics: m.subscribedTopics } : {}),
    ...(m.subscribedTopicRegex !== undefined ? { subscribedTopicRegex: m.subscribedTopicRegex } : {}),
    lastHeartbeatMs: m.lastHeartbeatMs,
    sessionTimeoutMs: m.sessionTimeoutMs,
    ...classicBytes(m, state),
  };
}

/** A classic member's metadata (of the chosen protocol, else its first) and assignment, base64. */
function classicBytes(m: GroupMember, state: GroupState): Pick<MemberDescription, 'metadata' | 'assignmentBytes'> {
  if (m.classic === undefined) return {};
  const chosen = state.meta.classic?.protocolName;
  const protocol = m.classic.protocols.find((p) => p.name === chosen) ?? m.classic.protocols[0];
  return { metadata: protocol?.metadata ?? '', assignmentBytes: m.classic.assignment ?? '' };
}

/** Rows for every partition of the subscribed topics and every partition with a committed offset (of live topics). */
async function partitionLags(deps: GroupDeps, state: GroupState, offsets: readonly OffsetRecord[], topics: TopicsView): Promise<PartitionLag[]> {
  const committed = new Map(offsets.map((o) => [tpKey(o), o.offset]));
  const owners = new Map<string, GroupMember>();
  for (const m of state.members) for (const tp of ownedBy(m)) owners.set(tpKey(tp), m);
  const wanted = new Map<string, Set<number>>();
  const want = (topic: string, partition: number) => wanted.set(topic, (wanted.get(topic) ?? new Set()).add(partition));
  for (const [topic, snap] of Object.entries(state.meta.topicsSnapshot)) for (let p = 0; p < snap.partitions; p++) want(topic, p);
  // A classic group has no snapshot: its members' subscriptions name the topics.
  for (const m of state.members) for (const topic of m.classic !== undefined ? (m.subscribedTopics ?? []) : []) for (let p = 0; p < (topics.get(topic)?.partitions ?? 0); p++) want(topic, p);
  for (const o of offsets) want(o.topic, o.partition);
  for (const tp of owners.keys()) {
    const at = tp.lastIndexOf('#');
    want(tp.slice(0, at), Number(tp.slice(at + 1)));
  }
  const rows: PartitionLag[] = [];
  for (const [topic, partitionSet] of wanted) {
    const live = topics.get(topic);
    if (live === undefined) continue;
    const partitions = [...partitionSet].filter((p) => p < live.partitions).sort((a, b) => a - b);
    const heads = await deps.heads.getMany(live.topicId, partitions);
    for (const head of heads) {
      const key = tpKey({ topic, partition: head.partition });
      const offset = committed.get(key) ?? null;
      const owner = owners.get(key);
      rows.push({
        topic,
        partition: head.partition,
        committedOffset: offset,
        logEndOffset: head.highWatermark,
        lag: offset === null ? null : Math.max(0, head.highWatermark - offset),
        memberId: owner?.memberId ?? null,
        ...(owner?.instanceId !== undefined ? { instanceId: owner.instanceId } : {}),
      });
    }
  }
  return rows.sort(compareTps);
}
