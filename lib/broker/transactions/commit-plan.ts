/**
 * What committing a transaction writes, computed from its staged items
 * (pure): per partition, its batches in sequence order and the offsets they
 * take; per consumer group, the offsets and the member to check. The
 * staged items are frozen once the commit is prepared, so the plan is the
 * same however often (and by whomever) it is computed again.
 */
import { KafkalessError } from '../../errors.js';
import { incrementSequence } from '../../log/index.js';
import { partitionKey } from '../../names.js';
import type { BatchIndexEntry } from '../../storage/batch-index.js';
import type { StagedBatch, StagedOffset } from '../../storage/txn-staged.js';
import type { StagedRecord } from '../../storage/txn-store.js';

export interface PartitionPlan {
  readonly topic: string;
  readonly topicId: string;
  readonly partition: number;
  /** In sequence order: the order they were sent. */
  readonly batches: readonly StagedBatch[];
  readonly offsetCount: number;
  readonly sizeBytes: number;
}

export interface GroupPlan {
  readonly groupId: string;
  readonly offsets: readonly StagedOffset[];
  /** The consumer the offsets came from, checked at commit (KIP-447); absent for offsets sent without one. */
  readonly member?: { readonly memberId: string; readonly memberEpoch: number };
}

export interface CommitPlan {
  readonly partitions: readonly PartitionPlan[];
  readonly groups: readonly GroupPlan[];
  readonly topics: readonly { readonly name: string; readonly topicId: string }[];
  readonly stagedKeys: readonly string[];
  readonly objectKeys: readonly string[];
}

export function buildPlan(records: readonly StagedRecord[], transactionalId: string): CommitPlan {
  const byPartition = new Map<string, StagedBatch[]>();
  const byGroup = new Map<string, StagedOffset[]>();
  for (const { staged } of records) {
    if (staged.kind === 'batch') {
      const key = partitionKey(staged.topicId, staged.partition);
      byPartition.set(key, [...(byPartition.get(key) ?? []), staged]);
    } else byGroup.set(staged.groupId, [...(byGroup.get(staged.groupId) ?? []), staged]);
  }
  const partitions = [...byPartition.keys()].sort().map((key) => partitionPlan(byPartition.get(key)!, transactionalId));
  const groups = [...byGroup.keys()].sort().map((groupId) => groupPlan(groupId, byGroup.get(groupId)!));
  const topics = new Map(partitions.map((p) => [p.topic, p.topicId]));
  return {
    partitions,
    groups,
    topics: [...topics].map(([name, topicId]) => ({ name, topicId })),
    stagedKeys: records.map((r) => r.sk),
    objectKeys: [...new Set(partitions.flatMap((p) => p.batches.map((b) => b.objectKey)))],
  };
}

function partitionPlan(staged: readonly StagedBatch[], transactionalId: string): PartitionPlan {
  const batches = [...staged].sort((a, b) => a.baseSequence - b.baseSequence);
  // The run may start above 0: Kafka's producers keep counting across the transactions of one epoch
  // (the native one restarts at 0). A failed first send is refused to its sender when it fails.
  let expected = batches[0]!.baseSequence;
  for (const b of batches) {
    if (b.baseSequence !== expected) {
      throw new KafkalessError(
        'OutOfOrderSequence',
        `Transaction of '${transactionalId}' lacks the batch with sequence ${expected} for partition ${b.partition} of '${b.topic}' (next staged is ${b.baseSequence}): a send failed; abort the transaction`,
        { context: { topic: b.topic, partition: b.partition } },
      );
    }
    expected = incrementSequence(b.lastSequence, 1);
  }
  const first = batches[0]!;
  return {
    topic: first.topic,
    topicId: first.topicId,
    partition: first.partition,
    batches,
    offsetCount: batches.reduce((n, b) => n + b.offsetCount, 0),
    sizeBytes: batches.reduce((n, b) => n + b.sizeBytes, 0),
  };
}

function groupPlan(groupId: string, offsets: readonly StagedOffset[]): GroupPlan {
  const latest = [...offsets].sort((a, b) => b.stagedAtMs - a.stagedAtMs)[0]!;
  const member = latest.memberId !== undefined && latest.memberEpoch !== undefined ? { memberId: latest.memberId, memberEpoch: latest.memberEpoch } : undefined;
  return { groupId, offsets: [...offsets].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1)), ...(member ? { member } : {}) };
}

/** Items of a one-step commit: topic checks, heads, index items, offsets, group checks, the meta. */
export function singleStepItems(plan: CommitPlan): number {
  const batches = plan.partitions.reduce((n, p) => n + p.batches.length, 0);
  return plan.topics.length + plan.partitions.length + batches + offsetCount(plan) + plan.groups.length + 1;
}

/** Items of a large commit's final step: heads, offsets, the meta. */
export function finalStepItems(plan: CommitPlan): number {
  return plan.partitions.length + offsetCount(plan) + 1;
}

/** Items of a large commit's prepare step: the meta, topic checks, group checks. */
export function prepareStepItems(plan: CommitPlan): number {
  return 1 + plan.topics.length + plan.groups.length;
}

function offsetCount(plan: CommitPlan): number {
  return plan.groups.reduce((n, g) => n + g.offsets.length, 0);
}

/** The index items of one partition's batches, from its base offset. */
export function indexEntries(p: PartitionPlan, baseOffset: number, appendTimeMs: number): BatchIndexEntry[] {
  let next = baseOffset;
  return p.batches.map((b) => {
    const entry: BatchIndexEntry = {
      baseOffset: next,
      lastOffset: next + b.offsetCount - 1,
      objectKey: b.objectKey,
      position: b.position,
      sizeBytes: b.sizeBytes,
      recordCount: b.recordCount,
      firstTimestamp: b.firstTimestamp,
      maxTimestamp: b.maxTimestamp,
      producerId: b.producerId,
      producerEpoch: b.producerEpoch,
      baseSequence: b.baseSequence,
      isTransactional: true,
      appendTime: appendTimeMs,
    };
    next += b.offsetCount;
    return entry;
  });
}
