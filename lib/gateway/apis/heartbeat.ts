/** Heartbeat v0-4 onto `classicHeartbeat` (REBALANCE_IN_PROGRESS while a rebalance is open). */
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { groupErrorCode, instanceIdOf } from './classic-wait.js';

export const heartbeat: ApiHandler<typeof API_KEYS.Heartbeat> = {
  apiKey: API_KEYS.Heartbeat,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    try {
      await ctx.broker.call('group', {
        action: 'classicHeartbeat',
        groupId: request.groupId,
        memberId: request.memberId,
        ...instanceIdOf(ctx.version >= 3 ? request.groupInstanceId : null),
        generationId: request.generationId,
      });
      return { throttleTimeMs: 0, errorCode: 0 };
    } catch (err) {
      return { throttleTimeMs: 0, errorCode: groupErrorCode(err) };
    }
  },
};
