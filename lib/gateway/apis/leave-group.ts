/** LeaveGroup v0-5 onto `classicLeave`: one member (v0-2, its error top-level) or a batch answered per member (v3+). */
import { isErrorCode } from '../../errors.js';
import type { ClassicLeaveReply } from '../../protocol/group-replies.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { codeOf } from '../wire-answers.js';
import { groupErrorCode } from './classic-wait.js';

export const leaveGroup: ApiHandler<typeof API_KEYS.LeaveGroup> = {
  apiKey: API_KEYS.LeaveGroup,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx) {
    const asked =
      ctx.version >= 3
        ? request.members.map((m) => ({ memberId: m.memberId, ...(m.groupInstanceId !== null && m.groupInstanceId !== '' ? { instanceId: m.groupInstanceId } : {}) }))
        : [{ memberId: request.memberId }];
    if (asked.length === 0) return { throttleTimeMs: 0, errorCode: codeOf('InvalidRequest'), members: [] };
    try {
      const reply = await ctx.broker.call<ClassicLeaveReply>('group', { action: 'classicLeave', groupId: request.groupId, members: asked });
      const members = reply.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.instanceId ?? null,
        errorCode: m.error === undefined ? 0 : codeOf(isErrorCode(m.error.code) ? m.error.code : 'UnknownServerError'),
      }));
      // v0-2 carry no member list: the one member's error is the answer's.
      return ctx.version >= 3 ? { throttleTimeMs: 0, errorCode: 0, members } : { throttleTimeMs: 0, errorCode: members[0]?.errorCode ?? 0, members: [] };
    } catch (err) {
      return { throttleTimeMs: 0, errorCode: groupErrorCode(err), members: [] };
    }
  },
};
