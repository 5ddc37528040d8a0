/**
 * The maintenance sweep: every group steps once without a heartbeat, so
 * members whose consumers died are expired (and their partitions handed
 * on) even when no other member of the group heartbeats.
 */
import { runGroupStep } from './coordinator.js';
import type { GroupDeps } from './deps.js';
import { settleGroup } from './expire-step.js';

export interface ExpirySummary {
  readonly groups: number;
  /** Groups in which members were expired or the target changed. */
  readonly changed: number;
}

export async function expireMembers(deps: GroupDeps): Promise<ExpirySummary> {
  const metas = await deps.store.listMetas();
  let changed = 0;
  for (const meta of metas) {
    if (meta.state === 'DEAD' || meta.memberCount === 0) continue;
    const didChange = await runGroupStep<boolean>(deps, meta.groupId, (loaded, env) => {
      if (loaded === undefined || loaded.meta.state === 'DEAD') return { state: settleGroup(meta.groupId, undefined, env).state, write: false, reply: false };
      const settled = settleGroup(meta.groupId, loaded, env);
      return { state: settled.state, write: settled.changed, reply: settled.changed };
    });
    if (didChange) changed++;
  }
  return { groups: metas.length, changed };
}
