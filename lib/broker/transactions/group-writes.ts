/**
 * A commit's consumer-group side: the offsets to write (never below the
 * committed ones: offsets never go backward), the checks that the group still exists and
 * that the consumer that sent them still owns their partitions, and the
 * typed reason when a check fails.
 */
import { KafkalessError } from '../../errors.js';
import type { CommitOffsetsRequest } from '../../protocol/group-requests.js';
import { byTopic, META_SK as GROUP_META_SK } from '../../storage/group-items.js';
import { tpKey, type OffsetRecord } from '../../storage/group-records.js';
import type { WriteItem } from '../../storage/txn-items.js';
import { checkMember } from '../groups/commit-offsets.js';
import type { GroupPlan } from './commit-plan.js';
import type { TxnDeps } from './deps.js';

/** Offset updates for the plan's groups, one per group and topic, leaving out any that would move an offset backward. */
export async function offsetWrites(deps: TxnDeps, groups: readonly GroupPlan[], nowMs: number): Promise<WriteItem[]> {
  const writes: WriteItem[] = [];
  for (const g of groups) {
    const current = await deps.groups.getOffsets(g.groupId, g.offsets);
    const records: OffsetRecord[] = [];
    for (const o of g.offsets) {
      const committed = current.get(tpKey(o));
      if (committed !== undefined && committed.offset > o.offset) continue;
      // At the committing member's epoch; without a member, at that of the offset it replaces (the commit time then orders them).
      const epoch = g.member?.memberEpoch ?? committed?.epoch;
      records.push({ topic: o.topic, partition: o.partition, offset: o.offset, metadata: o.metadata, commitTimeMs: nowMs, ...(epoch !== undefined ? { epoch } : {}) });
    }
    for (const [topic, ofTopic] of byTopic(records)) writes.push(deps.items.offsetsUpdate(g.groupId, topic, ofTopic));
  }
  return writes;
}

/** One check per group: its member still owns the partitions, or (offsets sent without a member) the group exists. */
export function groupChecks(deps: TxnDeps, groups: readonly GroupPlan[], nowMs: number): WriteItem[] {
  return groups.map((g) =>
    g.member !== undefined ? deps.items.memberCheck(g.groupId, g.member.memberId, g.member.memberEpoch, nowMs, g.offsets) : deps.items.groupCheck(g.groupId),
  );
}

/** Throws the typed reason a group check failed; returns when it holds again (a race: retry). */
export async function explainGroupFailure(deps: TxnDeps, g: GroupPlan, nowMs: number): Promise<void> {
  await requireGroup(deps, g.groupId);
  if (g.member === undefined) return;
  const member = await deps.groups.getMember(g.groupId, g.member.memberId);
  checkMember(member, commitShape(g.groupId, g.offsets), g.member.memberId, g.member.memberEpoch, nowMs);
}

export async function requireGroup(deps: TxnDeps, groupId: string): Promise<void> {
  const meta = await deps.store.get(deps.store.tables.groups, { pk: groupId, sk: GROUP_META_SK });
  if (meta === undefined || meta.state === 'DEAD') {
    throw new KafkalessError('GroupIdNotFound', `Consumer group '${groupId}' does not exist; a transaction commits offsets only for an existing group`, {
      context: { groupId },
    });
  }
}

/** The shape the group coordinator's member check reads. */
export function commitShape(groupId: string, offsets: readonly { topic: string; partition: number; offset: number }[]): CommitOffsetsRequest {
  return { action: 'commitOffsets', groupId, offsets: offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })) };
}
