/**
 * Heartbeat of a classic member: records its liveness, and answers
 * REBALANCE_IN_PROGRESS while a join phase is open (the member must join
 * again), UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION / FENCED_INSTANCE_ID as
 * Kafka does. Settling first lets a heartbeat end an overdue join phase.
 */
import type { ClassicHeartbeatRequest } from '../../protocol/group-requests.js';
import type { GroupState } from '../../storage/group-records.js';
import { KafkalessError } from '../../errors.js';
import { classicMember, rebalanceInProgress, unknownClassicMember } from './classic-errors.js';
import { settleClassic } from './classic-state.js';
import { runGroupStep } from './coordinator.js';
import type { GroupDeps } from './deps.js';
import type { StepEnv, StepOutcome } from './heartbeat-step.js';
import { validateGroupId } from './validate.js';

type Empty = Record<string, never>;

export async function classicHeartbeat(deps: GroupDeps, request: ClassicHeartbeatRequest): Promise<Empty> {
  validateGroupId(request.groupId);
  return runGroupStep<Empty>(deps, request.groupId, (loaded, env) => classicHeartbeatStep(loaded, request, env));
}

export function classicHeartbeatStep(loaded: GroupState | undefined, request: ClassicHeartbeatRequest, env: StepEnv): StepOutcome<Empty> {
  if (loaded === undefined || loaded.meta.classic === undefined) throw unknownClassicMember(request.groupId, request.memberId);
  const { state, changed } = settleClassic(loaded, env.nowMs);
  let memberId: string;
  try {
    memberId = classicMember(state, request).memberId;
  } catch (err) {
    if (err instanceof KafkalessError) return { state, write: changed, error: err };
    throw err;
  }
  const beating = { ...state, members: state.members.map((m) => (m.memberId === memberId ? { ...m, lastHeartbeatMs: env.nowMs } : m)) };
  if (state.meta.state === 'PREPARING_REBALANCE') return { state: beating, write: true, error: rebalanceInProgress(request.groupId) };
  return { state: beating, write: true, reply: {} };
}
