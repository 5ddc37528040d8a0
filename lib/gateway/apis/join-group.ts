/**
 * JoinGroup v0-9 onto the group function's `classicJoin`, asked again every
 * CLASSIC_POLL_INTERVAL_MS while the rebalance is open (classic-wait.ts).
 * v4+: a member without an id is answered MEMBER_ID_REQUIRED with one.
 */
import type { ClassicJoinReply } from '../../protocol/group-replies.js';
import type { ClassicJoinRequest } from '../../protocol/group-requests.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { codeOf } from '../wire-answers.js';
import { CLASSIC_WAIT_MARGIN_MS, groupErrorCode, instanceIdOf, pollUntil } from './classic-wait.js';

export const joinGroup: ApiHandler<typeof API_KEYS.JoinGroup> = {
  apiKey: API_KEYS.JoinGroup,
  minVersion: 0,
  maxVersion: 9,
  async handle(request, ctx) {
    const rebalanceTimeoutMs = ctx.version >= 1 && request.rebalanceTimeoutMs > 0 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs;
    const ask: ClassicJoinRequest = {
      action: 'classicJoin',
      groupId: request.groupId,
      memberId: request.memberId,
      ...instanceIdOf(ctx.version >= 5 ? request.groupInstanceId : null),
      ...(ctx.clientId !== null ? { clientId: ctx.clientId } : {}),
      clientHost: ctx.clientHost,
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs,
      protocolType: request.protocolType,
      protocols: request.protocols.map((p) => ({ name: p.name, metadata: p.metadata.toString('base64') })),
      requireKnownMemberId: ctx.version >= 4,
    };
    const call = (extra: Partial<ClassicJoinRequest>) => ctx.broker.call<ClassicJoinReply>('group', { ...ask, ...extra });
    const failed = (errorCode: number, memberId: string) => ({
      throttleTimeMs: 0,
      errorCode,
      generationId: -1,
      protocolType: null,
      protocolName: ctx.version >= 7 ? null : '',
      leader: '',
      skipAssignment: false,
      memberId,
      members: [],
    });
    try {
      const first = await call({});
      const reply = await pollUntil(
        first,
        (last) => call(last.status === 'waiting' ? { memberId: last.memberId, sinceGeneration: last.sinceGeneration } : {}),
        (r) => r.status === 'waiting',
        rebalanceTimeoutMs + CLASSIC_WAIT_MARGIN_MS,
      );
      if (reply.status === 'memberIdRequired') return failed(codeOf('MemberIdRequired'), reply.memberId);
      if (reply.status === 'waiting') return failed(codeOf('RebalanceInProgress'), reply.memberId);
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        generationId: reply.generationId,
        protocolType: reply.protocolType,
        protocolName: reply.protocolName,
        leader: reply.leader,
        skipAssignment: false,
        memberId: reply.memberId,
        members: reply.members.map((m) => ({ memberId: m.memberId, groupInstanceId: ctx.version >= 5 ? (m.instanceId ?? null) : null, metadata: Buffer.from(m.metadata, 'base64') })),
      };
    } catch (err) {
      return failed(groupErrorCode(err), request.memberId);
    }
  },
};
