/**
 * The step a group takes without a heartbeat (offset commits outside any
 * member, resets, deletes, the maintenance sweep): expire members past
 * their session and rebalance if that or the topics call for it.
 */
import { KafkalessError } from '../../errors.js';
import type { GroupState } from '../../storage/group-records.js';
import { settleClassic } from './classic-state.js';
import { DEFAULT_ASSIGNOR } from './defaults.js';
import { dropExpiredMembers, emptyGroup, withSummary } from './group-state.js';
import type { StepEnv } from './heartbeat-step.js';
import { rebalanceIfNeeded } from './target.js';

export interface Settled {
  readonly state: GroupState;
  /** True when expiry or a rebalance changed the group. */
  readonly changed: boolean;
  readonly existed: boolean;
}

export function settleGroup(groupId: string, loaded: GroupState | undefined, env: StepEnv): Settled {
  if (loaded?.meta.state === 'DEAD') {
    throw new KafkalessError('CoordinatorLoadInProgress', `Group '${groupId}' is being deleted; retry shortly`, { context: { groupId } });
  }
  if (loaded?.meta.classic !== undefined) {
    const classic = settleClassic(loaded, env.nowMs);
    return { state: classic.state, changed: classic.changed, existed: true };
  }
  const base = loaded ?? emptyGroup(groupId, DEFAULT_ASSIGNOR, env.nowMs);
  const { state: live, expired } = dropExpiredMembers(base, env.nowMs);
  const rebalanced = rebalanceIfNeeded(live, env.topics, expired.length > 0 && loaded !== undefined);
  const state = withSummary(rebalanced);
  const changed = expired.length > 0 || rebalanced.meta.groupEpoch !== base.meta.groupEpoch || state.meta.state !== base.meta.state;
  return { state, changed, existed: loaded !== undefined };
}

export function nonEmptyGroup(groupId: string, what: string, members: number): KafkalessError {
  return new KafkalessError('NonEmptyGroup', `Cannot ${what} group '${groupId}': it has ${members} live member(s); stop its consumers first`, {
    context: { groupId },
  });
}

export function groupNotFound(groupId: string): KafkalessError {
  return new KafkalessError('GroupIdNotFound', `Group '${groupId}' does not exist`, { context: { groupId } });
}
