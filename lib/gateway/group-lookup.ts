/**
 * The group function's describeGroups for the group APIs: the broker
 * answers a whole request or names the group it could not describe; each
 * group asked gets its own description or error, in requests of the size
 * the broker accepts.
 */
import type { ErrorContext } from '../errors.js';
import { MAX_GROUPS_PER_REQUEST } from '../limits.js';
import type { GroupDescription, GroupReplies } from '../protocol/group-replies.js';
import type { BrokerCalls } from './broker-calls.js';
import { settleEach, type Settled } from './settle-each.js';

export const sameGroup = (groupId: string, context: ErrorContext): boolean => context.groupId === groupId;

/** Each distinct group id's description, or the error the broker gave for it (GroupIdNotFound for one that does not exist). */
export async function describeEach(broker: BrokerCalls, groupIds: readonly string[]): Promise<Map<string, Settled<GroupDescription>>> {
  const unique = [...new Set(groupIds)];
  const out = new Map<string, Settled<GroupDescription>>();
  for (let i = 0; i < unique.length; i += MAX_GROUPS_PER_REQUEST) {
    const chunk = unique.slice(i, i + MAX_GROUPS_PER_REQUEST);
    const settled = await settleEach(chunk, sameGroup, async (ids) => (await broker.call<GroupReplies['describeGroups']>('group', { action: 'describeGroups', groupIds: ids })).groups);
    chunk.forEach((id, k) => out.set(id, settled[k]!));
  }
  return out;
}
