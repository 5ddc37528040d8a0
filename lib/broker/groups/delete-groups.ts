/**
 * DeleteGroups: only groups that exist and have no live members. Every
 * group named is checked before any is touched; each is then marked DEAD
 * (conditionally, so a member joining meanwhile stops it), its offsets
 * removed, and its meta removed last.
 */
import { runGroupStep } from './coordinator.js';
import type { GroupDeps } from './deps.js';
import { groupNotFound, nonEmptyGroup, settleGroup } from './expire-step.js';
import { validateGroupId } from './validate.js';

export async function deleteGroups(deps: GroupDeps, groupIds: readonly string[]): Promise<{ groupIds: string[] }> {
  const unique = [...new Set(groupIds)];
  unique.forEach(validateGroupId);
  for (const groupId of unique) await checkDeletable(deps, groupId);
  for (const groupId of unique) {
    await markDead(deps, groupId);
    await deps.store.deleteAllOffsets(groupId);
    await deps.store.deleteDeadMeta(groupId);
  }
  return { groupIds: unique };
}

async function checkDeletable(deps: GroupDeps, groupId: string): Promise<void> {
  const loaded = await deps.store.load(groupId);
  if (loaded === undefined) throw groupNotFound(groupId);
  if (loaded.meta.state === 'DEAD') return;
  const { state } = settleGroup(groupId, loaded, { nowMs: deps.now(), topics: await deps.topics.view(), newMemberId: () => '' });
  if (state.members.length > 0) throw nonEmptyGroup(groupId, 'delete', state.members.length);
}

async function markDead(deps: GroupDeps, groupId: string): Promise<void> {
  await runGroupStep<undefined>(deps, groupId, (loaded, env) => {
    if (loaded === undefined) return { state: { meta: { ...settleGroup(groupId, loaded, env).state.meta }, members: [] }, write: false, error: groupNotFound(groupId) };
    if (loaded.meta.state === 'DEAD') return { state: loaded, write: false, reply: undefined };
    const settled = settleGroup(groupId, loaded, env);
    if (settled.state.members.length > 0) return { state: settled.state, write: settled.changed, error: nonEmptyGroup(groupId, 'delete', settled.state.members.length) };
    return { state: { ...settled.state, meta: { ...settled.state.meta, state: 'DEAD' } }, write: true, reply: undefined };
  });
}
