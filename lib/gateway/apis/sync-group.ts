/** SyncGroup v0-5 onto `classicSync`: a follower's is asked again until the leader sent the assignments. */
import type { ClassicSyncReply } from '../../protocol/group-replies.js';
import type { ClassicSyncRequest } from '../../protocol/group-requests.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { codeOf } from '../wire-answers.js';
import { CLASSIC_WAIT_MARGIN_MS, groupErrorCode, instanceIdOf, pollUntil } from './classic-wait.js';

/** How long a follower waits for its leader's assignments at most (Kafka: the rebalance timeout, which SyncGroup does not carry). */
const MAX_SYNC_WAIT_MS = 60_000;

export const syncGroup: ApiHandler<typeof API_KEYS.SyncGroup> = {
  apiKey: API_KEYS.SyncGroup,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx) {
    const ask: ClassicSyncRequest = {
      action: 'classicSync',
      groupId: request.groupId,
      memberId: request.memberId,
      ...instanceIdOf(ctx.version >= 3 ? request.groupInstanceId : null),
      generationId: request.generationId,
      ...(ctx.version >= 5 && request.protocolType !== null ? { protocolType: request.protocolType } : {}),
      ...(ctx.version >= 5 && request.protocolName !== null ? { protocolName: request.protocolName } : {}),
      assignments: request.assignments.map((a) => ({ memberId: a.memberId, assignment: a.assignment.toString('base64') })),
    };
    const failed = (errorCode: number) => ({ throttleTimeMs: 0, errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) });
    try {
      const call = () => ctx.broker.call<ClassicSyncReply>('group', ask);
      const reply = await pollUntil(await call(), call, (r) => r.status === 'waiting', MAX_SYNC_WAIT_MS + CLASSIC_WAIT_MARGIN_MS);
      if (reply.status === 'waiting') return failed(codeOf('RebalanceInProgress'));
      return { throttleTimeMs: 0, errorCode: 0, protocolType: reply.protocolType, protocolName: reply.protocolName, assignment: Buffer.from(reply.assignment, 'base64') };
    } catch (err) {
      return failed(groupErrorCode(err));
    }
  },
};
