/**
 * LeaveGroup: each named member (by member id, or by instance id for a
 * static member) is removed, and the group rebalances without it (or
 * becomes EMPTY). Each member is answered on its own.
 */
import { KafkalessError } from '../../errors.js';
import type { ClassicLeaveReply } from '../../protocol/group-replies.js';
import type { ClassicLeaveRequest } from '../../protocol/group-requests.js';
import type { GroupState } from '../../storage/group-records.js';
import { fencedInstance, unknownClassicMember } from './classic-errors.js';
import { asClassicGroup, prepareRebalance, settleClassic } from './classic-state.js';
import { runGroupStep } from './coordinator.js';
import type { GroupDeps } from './deps.js';
import type { StepEnv, StepOutcome } from './heartbeat-step.js';
import { validateGroupId } from './validate.js';

export async function classicLeave(deps: GroupDeps, request: ClassicLeaveRequest): Promise<ClassicLeaveReply> {
  validateGroupId(request.groupId);
  return runGroupStep<ClassicLeaveReply>(deps, request.groupId, (loaded, env) => classicLeaveStep(loaded, request, env));
}

export function classicLeaveStep(loaded: GroupState | undefined, request: ClassicLeaveRequest, env: StepEnv): StepOutcome<ClassicLeaveReply> {
  if (loaded === undefined || loaded.meta.classic === undefined) {
    const error = unknownClassicMember(request.groupId, request.members[0]!.memberId);
    const members = request.members.map((m) => ({ ...m, error: { code: error.code, message: error.message } }));
    return { state: asClassicGroup(request.groupId, loaded, '', env.nowMs), write: false, reply: { members } };
  }
  let { state } = settleClassic(loaded, env.nowMs);
  const gone = new Set<string>();
  const members: ClassicLeaveReply['members'][number][] = [];
  for (const asked of request.members) {
    const found = asked.memberId !== '' ? state.members.find((m) => m.memberId === asked.memberId) : state.members.find((m) => asked.instanceId !== undefined && m.instanceId === asked.instanceId);
    try {
      if (found === undefined) throw unknownClassicMember(request.groupId, asked.memberId);
      if (asked.instanceId !== undefined && found.instanceId !== asked.instanceId) throw fencedInstance(request.groupId, asked.memberId, asked.instanceId);
      gone.add(found.memberId);
      members.push({ ...asked, memberId: found.memberId });
    } catch (err) {
      if (!(err instanceof KafkalessError)) throw err;
      const error = err;
      members.push({ ...asked, error: { code: error.code, message: error.message } });
    }
  }
  if (gone.size > 0) {
    state = { ...state, members: state.members.filter((m) => !gone.has(m.memberId)) };
    if (state.meta.state !== 'PREPARING_REBALANCE') state = prepareRebalance(state, env.nowMs);
    state = settleClassic(state, env.nowMs).state;
  }
  return { state, write: true, reply: { members } };
}
