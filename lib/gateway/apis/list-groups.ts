/**
 * ListGroups: the group function's `listGroups`, filtered here by Kafka's
 * state names (v4, case-insensitive) and group types (v5: classic or
 * consumer); a filter value that names nothing matches nothing, as in Kafka.
 * Groups being deleted are not listed.
 */
import { toErrorPayload } from '../../errors.js';
import type { GroupListing, GroupReplies } from '../../protocol/group-replies.js';
import { kafkaGroupState } from '../../protocol/group-state-names.js';
import { API_KEYS, type ListGroupsRequest } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { codeOf } from '../wire-answers.js';

export const listGroups: ApiHandler<typeof API_KEYS.ListGroups> = {
  apiKey: API_KEYS.ListGroups,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, ctx) {
    let listed: readonly GroupListing[];
    try {
      listed = (await ctx.broker.call<GroupReplies['listGroups']>('group', { action: 'listGroups' })).groups;
    } catch (err) {
      return { throttleTimeMs: 0, errorCode: codeOf(toErrorPayload(err).code), groups: [] };
    }
    const wanted = filterOf(request);
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      groups: listed
        .filter((g) => g.state !== 'DEAD' && wanted(g))
        .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? 'consumer', groupState: kafkaGroupState(g.state), groupType: g.type ?? 'consumer' })),
    };
  },
};

function filterOf(request: ListGroupsRequest): (g: GroupListing) => boolean {
  const states = new Set(request.statesFilter.map((s) => s.trim().toLowerCase()));
  const types = new Set(request.typesFilter.map((s) => s.trim().toLowerCase()));
  return (g) => (states.size === 0 || states.has(kafkaGroupState(g.state).toLowerCase())) && (types.size === 0 || types.has(g.type ?? 'consumer'));
}
