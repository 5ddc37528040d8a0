import { compareJavaStrings } from './java-order.js';
import type { AssignorMember } from './types.js';

/**
 * Kafka's `MemberInfo.compareTo`: members with a `group.instance.id` come first,
 * ordered by it; the others follow, ordered by member id (Java string order).
 */
export function compareMembers(a: AssignorMember, b: AssignorMember): number {
  if (a.instanceId !== undefined && b.instanceId !== undefined) {
    return compareJavaStrings(a.instanceId, b.instanceId) || compareJavaStrings(a.memberId, b.memberId);
  }
  if (a.instanceId !== undefined) return -1;
  if (b.instanceId !== undefined) return 1;
  return compareJavaStrings(a.memberId, b.memberId);
}

/** A sorted copy of the members, in Kafka's member order. */
export function sortMembers<M extends AssignorMember>(members: readonly M[]): M[] {
  return [...members].sort(compareMembers);
}
