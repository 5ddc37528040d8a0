/** The errors classic-group steps share, worded once. */
import { KafkalessError } from '../../errors.js';
import type { GroupMember, GroupState } from '../../storage/group-records.js';
import { isExpired } from './group-state.js';

/** Members of a consumer (KIP-848) group whose session is still running. */
export function liveConsumerMembers(state: GroupState, nowMs: number): number {
  return state.members.filter((m) => !isExpired(m, nowMs)).length;
}

export function unknownClassicMember(groupId: string, memberId: string): KafkalessError {
  return new KafkalessError('UnknownMemberId', `Member '${memberId}' is not a member of group '${groupId}' (it left, its session expired, or it never joined); it must join again`, {
    context: { groupId, memberId },
  });
}

export function illegalGeneration(groupId: string, memberId: string, sent: number, current: number): KafkalessError {
  return new KafkalessError('IllegalGeneration', `Member '${memberId}' sent generation ${sent}, but group '${groupId}' is at generation ${current}; it must join again`, {
    context: { groupId, memberId },
  });
}

export function rebalanceInProgress(groupId: string): KafkalessError {
  return new KafkalessError('RebalanceInProgress', `Group '${groupId}' is rebalancing; join again`, { context: { groupId } });
}

export function fencedInstance(groupId: string, memberId: string, instanceId: string | undefined): KafkalessError {
  return new KafkalessError('FencedInstanceId', `Member '${memberId}' does not hold instance id '${instanceId ?? ''}' in group '${groupId}'`, { context: { groupId, memberId } });
}

/** The member a sync, heartbeat or commit names, in the generation it names; or Kafka's error for why not. */
export function classicMember(state: GroupState | undefined, request: { groupId: string; memberId: string; instanceId?: string | undefined; generationId: number }): GroupMember {
  const member = state?.meta.classic === undefined ? undefined : state.members.find((m) => m.memberId === request.memberId);
  if (member === undefined || state === undefined) {
    const byInstance = request.instanceId === undefined ? undefined : state?.members.find((m) => m.instanceId === request.instanceId);
    if (byInstance !== undefined) throw fencedInstance(request.groupId, request.memberId, request.instanceId);
    throw unknownClassicMember(request.groupId, request.memberId);
  }
  if (request.instanceId !== undefined && member.instanceId !== request.instanceId) throw fencedInstance(request.groupId, request.memberId, request.instanceId);
  if (request.generationId !== state.meta.groupEpoch) throw illegalGeneration(request.groupId, request.memberId, request.generationId, state.meta.groupEpoch);
  return member;
}
