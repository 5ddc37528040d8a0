/**
 * sendOffsets (Kafka's TxnOffsetCommit): stages consumer offsets to be
 * committed with the transaction. Checked now, before anything is written:
 * the group exists (GroupIdNotFound otherwise: a typo would silently commit
 * to a group nobody reads), the partitions exist, and, when the consumer's
 * member id and epoch are given, that it still owns them. The member is
 * checked again inside the commit (KIP-447), so a consumer fenced meanwhile
 * cannot commit output for partitions it no longer owns.
 */
import { KafkalessError } from '../../errors.js';
import type { TxnOffsetsRequest } from '../../protocol/txn-requests.js';
import type { TxnOffsetsReply } from '../../protocol/txn-replies.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import { tpKey } from '../../storage/group-records.js';
import type { StagedOffset } from '../../storage/txn-staged.js';
import { checkMember } from '../groups/commit-offsets.js';
import { validateGroupId } from '../groups/validate.js';
import type { TxnDeps } from './deps.js';
import { commitShape, requireGroup } from './group-writes.js';
import { stage } from './stage.js';

export async function sendOffsets(deps: TxnDeps, request: TxnOffsetsRequest): Promise<TxnOffsetsReply> {
  const { groupId, transaction: ref } = request;
  validateGroupId(groupId);
  await validateOffsets(deps, request);
  await requireGroup(deps, groupId);
  if ((request.memberId === undefined) !== (request.memberEpoch === undefined)) {
    throw new KafkalessError('InvalidRequest', 'memberId and memberEpoch go together (or neither is sent)', { context: { field: request.memberId === undefined ? 'memberId' : 'memberEpoch' } });
  }
  if (request.memberId !== undefined) {
    const member = await deps.groups.getMember(groupId, request.memberId);
    checkMember(member, commitShape(groupId, request.offsets), request.memberId, request.memberEpoch!, deps.now());
  }
  const items: StagedOffset[] = request.offsets.map((o) => ({
    kind: 'offset',
    txnSeq: ref.txnSeq,
    groupId,
    topic: o.topic,
    partition: o.partition,
    offset: o.offset,
    metadata: o.metadata ?? '',
    ...(request.memberId !== undefined ? { memberId: request.memberId, memberEpoch: request.memberEpoch! } : {}),
    stagedAtMs: 0,
  }));
  const staged = await stage(deps, { ref, items });
  await deps.faults.at('txn.afterStage', { transactionalId: ref.transactionalId });
  return { staged };
}

async function validateOffsets(deps: TxnDeps, request: TxnOffsetsRequest): Promise<void> {
  const seen = new Set<string>();
  for (const [i, o] of request.offsets.entries()) {
    validateTopicName(o.topic);
    if (seen.has(tpKey(o))) {
      throw new KafkalessError('InvalidRequest', `Partition ${o.partition} of '${o.topic}' appears twice in one sendOffsets`, { context: { field: `offsets[${i}]` } });
    }
    seen.add(tpKey(o));
    const topic = await deps.topics.require(o.topic);
    if (o.partition >= topic.partitions) {
      throw new KafkalessError('UnknownTopicOrPartition', `Topic '${o.topic}' has ${topic.partitions} partition(s); partition ${o.partition} does not exist.`, {
        context: { topic: o.topic, partition: o.partition },
      });
    }
  }
}
