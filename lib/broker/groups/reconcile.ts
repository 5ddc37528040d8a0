/**
 * Incremental reconciliation of one member towards its target (KIP-848):
 * it keeps what stays in its target, is asked to revoke what left it, and
 * is given a partition of its target only once no other member holds it
 * (the previous owner reported it released, or was expired). While it still
 * has partitions to revoke it gets nothing new and keeps its epoch; once
 * none remain it moves to the target's epoch. So a partition is never held
 * by two members at once.
 */
import { compareTps, ownedBy, tpKey, type GroupMember, type GroupState, type TopicPartitionRef } from '../../storage/group-records.js';

/** Partitions held by every member but one, by key. */
export function heldByOthers(state: GroupState, memberId: string): Set<string> {
  const held = new Set<string>();
  for (const m of state.members) if (m.memberId !== memberId) for (const tp of ownedBy(m)) held.add(tpKey(tp));
  return held;
}

/** Drops from `revoking` what the member reports it no longer holds. */
export function acknowledgeRevocations(member: GroupMember, reportedOwned: readonly TopicPartitionRef[] | undefined): GroupMember {
  if (reportedOwned === undefined || member.revoking.length === 0) return member;
  const still = new Set(reportedOwned.map(tpKey));
  return { ...member, revoking: member.revoking.filter((tp) => still.has(tpKey(tp))) };
}

export function reconcileMember(
  member: GroupMember,
  target: readonly TopicPartitionRef[],
  others: ReadonlySet<string>,
  assignmentEpoch: number,
): GroupMember {
  const inTarget = new Set(target.map(tpKey));
  const keep = member.assigned.filter((tp) => inTarget.has(tpKey(tp)));
  const revokingKeys = new Set(member.revoking.map(tpKey));
  const newlyRevoked = member.assigned.filter((tp) => !inTarget.has(tpKey(tp)) && !revokingKeys.has(tpKey(tp)));
  const revoking = [...member.revoking, ...newlyRevoked].sort(compareTps);
  if (revoking.length > 0) return { ...member, assigned: keep, revoking };
  const keepKeys = new Set(keep.map(tpKey));
  const granted = target.filter((tp) => !keepKeys.has(tpKey(tp)) && !others.has(tpKey(tp)));
  const assigned = [...keep, ...granted].sort(compareTps);
  const epochMoves = member.memberEpoch !== assignmentEpoch;
  return {
    ...member,
    assigned,
    revoking: [],
    memberEpoch: assignmentEpoch,
    previousMemberEpoch: epochMoves ? member.memberEpoch : member.previousMemberEpoch,
  };
}

/** True when the member holds exactly its target at the target's epoch. */
export function isReconciled(member: GroupMember, target: readonly TopicPartitionRef[] | undefined, assignmentEpoch: number): boolean {
  if (member.revoking.length > 0 || member.memberEpoch !== assignmentEpoch) return false;
  const want = (target ?? []).map(tpKey).sort();
  const have = member.assigned.map(tpKey).sort();
  return want.length === have.length && want.every((k, i) => k === have[i]);
}
