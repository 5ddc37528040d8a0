/**
 * JoinGroup as a step of the classic state machine. The first ask registers
 * the member's join (and opens a rebalance when it calls for one); the
 * answer is `waiting` until the join phase ends, and the gateway asks again
 * (with `sinceGeneration`) until it is `joined`: each ask settles the group,
 * so whichever ask sees the phase over completes it, and all answer from
 * the stored generation.
 */
import { KafkalessError } from '../../errors.js';
import { decodeSubscriptionTopics } from '../../protocol/consumer-protocol.js';
import type { ClassicJoinReply } from '../../protocol/group-replies.js';
import { MAX_CLASSIC_METADATA_CHARS, type ClassicJoinRequest } from '../../protocol/group-requests.js';
import type { GroupMember, GroupState } from '../../storage/group-records.js';
import { CLASSIC_INITIAL_REBALANCE_DELAY_MS, asClassicGroup, candidateProtocols, classicOf, isClassic, prepareRebalance, sameProtocols, settleClassic } from './classic-state.js';
import { runGroupStep } from './coordinator.js';
import { CLASSIC_MAX_MEMBERS } from './defaults.js';
import type { GroupDeps } from './deps.js';
import type { StepEnv, StepOutcome } from './heartbeat-step.js';
import { liveConsumerMembers, unknownClassicMember } from './classic-errors.js';
import { validateGroupId, validateSessionTimeout } from './validate.js';

export async function classicJoin(deps: GroupDeps, request: ClassicJoinRequest): Promise<ClassicJoinReply> {
  validateGroupId(request.groupId);
  validateSessionTimeout(request.sessionTimeoutMs);
  const metadataChars = request.protocols.reduce((n, p) => n + p.metadata.length, 0);
  if (metadataChars > MAX_CLASSIC_METADATA_CHARS) {
    throw new KafkalessError('InvalidRequest', `The protocols' metadata is ${Math.ceil((metadataChars * 3) / 4)} bytes; a classic member may send at most ${(MAX_CLASSIC_METADATA_CHARS * 3) / 4}`, {
      context: { field: 'protocols', groupId: request.groupId },
    });
  }
  return runGroupStep<ClassicJoinReply>(deps, request.groupId, (loaded, env) => classicJoinStep(loaded, request, env));
}

export function classicJoinStep(loaded: GroupState | undefined, request: ClassicJoinRequest, env: StepEnv): StepOutcome<ClassicJoinReply> {
  const { groupId } = request;
  if (loaded?.meta.state === 'DEAD') {
    throw new KafkalessError('CoordinatorNotAvailable', `Group '${groupId}' is being deleted; retry shortly`, { context: { groupId } });
  }
  if (loaded !== undefined && !isClassic(loaded) && liveConsumerMembers(loaded, env.nowMs) > 0) {
    throw new KafkalessError('InconsistentGroupProtocol', `Group '${groupId}' is a consumer group (KIP-848 heartbeats); a classic member cannot join it`, { context: { groupId } });
  }
  const settled = settleClassic(asClassicGroup(groupId, loaded, request.protocolType, env.nowMs), env.nowMs);
  if (request.sinceGeneration !== undefined) return poll(settled.state, request, settled.changed);
  checkProtocols(settled.state, request);
  const outcome = register(settled.state, request, env);
  // MEMBER_ID_REQUIRED changes nothing: the group is written (created) only when someone joins it.
  if (outcome.reply !== undefined && outcome.state === settled.state) return { state: settled.state, write: settled.changed && isClassic(loaded), reply: outcome.reply };
  const after = settleClassic(outcome.state, env.nowMs).state;
  return { state: after, write: true, reply: outcome.reply ?? answer(after, request.memberId === '' ? outcome.memberId : request.memberId, settled.state.meta.groupEpoch) };
}

/** A later ask of a join already registered: the completed generation, or still waiting. */
function poll(state: GroupState, request: ClassicJoinRequest, changed: boolean): StepOutcome<ClassicJoinReply> {
  const member = state.members.find((m) => m.memberId === request.memberId);
  if (member === undefined) return { state, write: changed, error: unknownClassicMember(request.groupId, request.memberId) };
  return { state, write: changed, reply: answer(state, member.memberId, request.sinceGeneration!) };
}

/** `joined` once a generation after `sinceGeneration` includes the member, else `waiting`. */
function answer(state: GroupState, memberId: string, sinceGeneration: number): ClassicJoinReply {
  const member = state.members.find((m) => m.memberId === memberId);
  const completed = member !== undefined && member.memberEpoch > sinceGeneration && member.classic?.joined !== true && state.meta.state !== 'EMPTY';
  if (!completed) return { status: 'waiting', memberId, sinceGeneration };
  return joinedAnswer(state, member);
}

function joinedAnswer(state: GroupState, member: GroupMember): ClassicJoinReply {
  const classic = classicOf(state);
  const protocolName = classic.protocolName ?? '';
  const leader = classic.leaderId ?? '';
  const generation = state.members.filter((m) => m.memberEpoch === member.memberEpoch);
  return {
    status: 'joined',
    memberId: member.memberId,
    generationId: member.memberEpoch,
    protocolType: classic.protocolType,
    protocolName,
    leader,
    members:
      member.memberId !== leader
        ? []
        : generation.map((m) => ({
            memberId: m.memberId,
            ...(m.instanceId !== undefined ? { instanceId: m.instanceId } : {}),
            metadata: m.classic?.protocols.find((p) => p.name === protocolName)?.metadata ?? '',
          })),
  };
}

/** Kafka's supportsProtocols: a protocol type and protocols, the group's type, and a protocol every member has. */
function checkProtocols(state: GroupState, request: ClassicJoinRequest): void {
  const context = { groupId: request.groupId, memberId: request.memberId };
  if (request.protocolType === '' || request.protocols.length === 0) {
    throw new KafkalessError('InconsistentGroupProtocol', 'A member joins with a protocol type and at least one protocol', { context });
  }
  const others = state.members.filter((m) => m.memberId !== request.memberId);
  if (others.length === 0) return;
  if (classicOf(state).protocolType !== request.protocolType) {
    throw new KafkalessError('InconsistentGroupProtocol', `Group '${request.groupId}' has protocol type '${classicOf(state).protocolType}', not '${request.protocolType}'`, { context });
  }
  const supported = candidateProtocols(others);
  if (!request.protocols.some((p) => supported.has(p.name))) {
    throw new KafkalessError('InconsistentGroupProtocol', `None of the protocols [${request.protocols.map((p) => p.name).join(', ')}] is supported by every member of group '${request.groupId}' ([${[...supported].join(', ')}])`, {
      context,
    });
  }
}

interface Registered {
  readonly state: GroupState;
  readonly memberId: string;
  /** Set when the join is answered at once (memberIdRequired, or the current generation again). */
  readonly reply?: ClassicJoinReply;
}

function register(state: GroupState, request: ClassicJoinRequest, env: StepEnv): Registered {
  const byInstance = request.instanceId === undefined ? undefined : state.members.find((m) => m.instanceId === request.instanceId);
  if (request.memberId === '') {
    // Kafka's '<client.id>-<UUID>', the client id cut so that the id stays within a member id's 200 characters.
    const memberId = `${request.clientId !== undefined && request.clientId !== '' ? request.clientId.slice(0, 100) : 'member'}-${env.newMemberId()}`;
    if (byInstance !== undefined) return rejoin(replaceStatic(state, byInstance, memberId), memberId, request, env);
    // A static member (instance id) joins at once, as Kafka's.
    if (request.requireKnownMemberId && request.instanceId === undefined) return { state, memberId, reply: { status: 'memberIdRequired', memberId } };
    return addMember(state, memberId, request, env);
  }
  const existing = state.members.find((m) => m.memberId === request.memberId);
  if (byInstance !== undefined && byInstance !== existing) {
    throw new KafkalessError('FencedInstanceId', `Instance id '${request.instanceId}' of group '${request.groupId}' belongs to another member now`, {
      context: { groupId: request.groupId, memberId: request.memberId },
    });
  }
  if (existing === undefined) return addMember(state, request.memberId, request, env);
  if (request.instanceId !== existing.instanceId && existing.instanceId !== undefined) {
    throw new KafkalessError('FencedInstanceId', `Member '${request.memberId}' holds instance id '${existing.instanceId}', not '${request.instanceId ?? ''}'`, {
      context: { groupId: request.groupId, memberId: request.memberId },
    });
  }
  return rejoin(state, request.memberId, request, env);
}

function memberFields(request: ClassicJoinRequest, nowMs: number): Pick<GroupMember, 'lastHeartbeatMs' | 'sessionTimeoutMs' | 'classic' | 'clientId' | 'clientHost' | 'subscribedTopics'> {
  const subscribedTopics = subscriptionOf(request);
  return {
    ...(subscribedTopics !== undefined ? { subscribedTopics } : {}),
    lastHeartbeatMs: nowMs,
    sessionTimeoutMs: request.sessionTimeoutMs,
    ...(request.clientId !== undefined ? { clientId: request.clientId } : {}),
    ...(request.clientHost !== undefined ? { clientHost: request.clientHost } : {}),
    classic: {
      protocolType: request.protocolType,
      protocols: request.protocols,
      rebalanceTimeoutMs: request.rebalanceTimeoutMs > 0 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
      joined: true,
    },
  };
}

/** A consumer-protocol member's subscribed topics (from its first protocol's metadata), for describe and OffsetDelete. */
function subscriptionOf(request: ClassicJoinRequest): string[] | undefined {
  const first = request.protocols[0];
  if (request.protocolType !== 'consumer' || first === undefined) return undefined;
  const topics = decodeSubscriptionTopics(Buffer.from(first.metadata, 'base64'));
  return topics === undefined ? undefined : [...new Set(topics)].sort();
}

function addMember(state: GroupState, memberId: string, request: ClassicJoinRequest, env: StepEnv): Registered {
  if (state.members.length >= CLASSIC_MAX_MEMBERS) {
    throw new KafkalessError('GroupMaxSizeReached', `Group '${request.groupId}' has ${state.members.length} members, the most a classic group holds`, { context: { groupId: request.groupId } });
  }
  const member: GroupMember = {
    memberId,
    ...(request.instanceId !== undefined ? { instanceId: request.instanceId } : {}),
    memberEpoch: 0,
    previousMemberEpoch: 0,
    assigned: [],
    revoking: [],
    joinOrder: state.meta.nextJoinOrder,
    ...memberFields(request, env.nowMs),
  };
  const wasEmpty = state.meta.state === 'EMPTY';
  let next: GroupState = {
    meta: { ...state.meta, nextJoinOrder: state.meta.nextJoinOrder + 1, classic: { ...classicOf(state), protocolType: request.protocolType } },
    members: [...state.members, member],
  };
  if (next.meta.state !== 'PREPARING_REBALANCE') next = keepJoined(prepareRebalance(next, env.nowMs), memberId);
  const classic = classicOf(next);
  if (wasEmpty || (classic.joinNotBeforeMs ?? 0) > env.nowMs) {
    // group.initial.rebalance.delay.ms: a newcomer to a young group gives others a moment to join too.
    const joinNotBeforeMs = Math.min(env.nowMs + CLASSIC_INITIAL_REBALANCE_DELAY_MS, classic.rebalanceDeadlineMs ?? Infinity);
    next = { ...next, meta: { ...next.meta, classic: { ...classic, joinNotBeforeMs } } };
  }
  return { state: next, memberId };
}

/** A known member joins again: with the same protocols into a settled generation it is answered that generation (a follower) — else a rebalance. */
function rejoin(state: GroupState, memberId: string, request: ClassicJoinRequest, env: StepEnv): Registered {
  const existing = state.members.find((m) => m.memberId === memberId)!;
  const fields = memberFields(request, env.nowMs);
  // Its assignment stays until a new generation replaces it (a static member back in a stable group syncs to it).
  const updated: GroupMember = { ...existing, ...fields, classic: { ...existing.classic, ...fields.classic! } };
  const unchanged = sameProtocols(existing.classic, updated.classic);
  const settledGeneration = state.meta.state === 'STABLE' || state.meta.state === 'COMPLETING_REBALANCE';
  const isLeader = classicOf(state).leaderId === memberId;
  const replaced = { ...state, members: state.members.map((m) => (m.memberId === memberId ? updated : m)) };
  if (settledGeneration && unchanged && (!isLeader || state.meta.state === 'COMPLETING_REBALANCE')) {
    const kept = { ...replaced, members: replaced.members.map((m) => (m.memberId === memberId ? { ...m, classic: { ...m.classic!, joined: false } } : m)) };
    return { state: kept, memberId, reply: joinedAnswer(kept, kept.members.find((m) => m.memberId === memberId)!) };
  }
  if (state.meta.state === 'PREPARING_REBALANCE') return { state: replaced, memberId };
  return { state: keepJoined(prepareRebalance(replaced, env.nowMs), memberId), memberId };
}

/** prepareRebalance marks everyone as not yet rejoined; the member whose join opened it has. */
function keepJoined(state: GroupState, memberId: string): GroupState {
  return { ...state, members: state.members.map((m) => (m.memberId === memberId && m.classic !== undefined ? { ...m, classic: { ...m.classic, joined: true } } : m)) };
}

/** A static member back under a new member id: the old id's place, generation and assignment are its. */
function replaceStatic(state: GroupState, old: GroupMember, memberId: string): GroupState {
  const classic = classicOf(state);
  const leaderId = classic.leaderId === old.memberId ? memberId : classic.leaderId;
  return {
    meta: { ...state.meta, classic: { ...classic, ...(leaderId !== undefined ? { leaderId } : {}) } },
    members: state.members.map((m) => (m === old ? { ...m, memberId } : m)),
  };
}
