/** OffsetFetch: the group's committed offsets, of the named topics or all (one read of the group's items). */
import type { FetchOffsetsReply } from '../../protocol/group-replies.js';
import type { FetchOffsetsRequest } from '../../protocol/group-requests.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import { committedOffsets } from '../../storage/group-records.js';
import type { GroupDeps } from './deps.js';
import { groupNotFound } from './expire-step.js';
import { validateGroupId } from './validate.js';

export async function fetchOffsets(deps: GroupDeps, request: FetchOffsetsRequest): Promise<FetchOffsetsReply> {
  validateGroupId(request.groupId);
  request.topics?.forEach(validateTopicName);
  const group = await deps.store.load(request.groupId);
  if (group === undefined || group.meta.state === 'DEAD') throw groupNotFound(request.groupId);
  const named = request.topics === undefined ? undefined : new Set(request.topics);
  return { offsets: committedOffsets(group.stored).filter((r) => named === undefined || named.has(r.topic)) };
}
