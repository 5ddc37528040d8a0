/**
 * DeleteGroups: the group function's `deleteGroups`, one group per call
 * (the broker deletes a request's groups one after another, so a group that
 * fails late would leave the earlier ones deleted yet unanswered):
 * GROUP_ID_NOT_FOUND for one that does not exist, NON_EMPTY_GROUP for one
 * with live members; the others are deleted.
 */
import { toErrorPayload } from '../../errors.js';
import { mapLimit } from '../../map-limit.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { codeOf } from '../wire-answers.js';

/** Groups deleted at once by one request. */
const DELETES_AT_ONCE = 4;

export const deleteGroups: ApiHandler<typeof API_KEYS.DeleteGroups> = {
  apiKey: API_KEYS.DeleteGroups,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, ctx) {
    const unique = [...new Set(request.groupsNames)];
    const results = await mapLimit(unique, DELETES_AT_ONCE, async (groupId) => {
      try {
        await ctx.broker.call('group', { action: 'deleteGroups', groupIds: [groupId] });
        return { groupId, errorCode: 0 };
      } catch (err) {
        return { groupId, errorCode: codeOf(toErrorPayload(err).code) };
      }
    });
    return { throttleTimeMs: 0, results };
  },
};
