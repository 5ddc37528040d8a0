import { describe, expect, it } from 'vitest';
import { buildPlan, finalStepItems, indexEntries, singleStepItems } from '../../lib/broker/transactions/commit-plan.js';
import type { StagedBatch, StagedOffset } from '../../lib/storage/txn-staged.js';
import type { StagedRecord } from '../../lib/storage/txn-store.js';

function batch(partition: number, baseSequence: number, records: number, objectKey = 'ingest/aa/o1'): StagedRecord {
  const staged: StagedBatch = {
    kind: 'batch',
    txnSeq: 4,
    topic: 'out',
    topicId: 't-1',
    partition,
    baseSequence,
    lastSequence: baseSequence + records - 1,
    offsetCount: records,
    objectKey,
    position: baseSequence * 100,
    sizeBytes: 100,
    recordCount: records,
    firstTimestamp: 1,
    maxTimestamp: 2,
    producerId: 9,
    producerEpoch: 0,
    stagedAtMs: 1,
  };
  return { sk: `b${partition}-${baseSequence}`, staged };
}

function offset(groupId: string, partition: number, value: number, stagedAtMs: number, member?: { memberId: string; memberEpoch: number }): StagedRecord {
  const staged: StagedOffset = { kind: 'offset', txnSeq: 4, groupId, topic: 'in', partition, offset: value, metadata: '', stagedAtMs, ...member };
  return { sk: `o${groupId}${partition}`, staged };
}

describe('a commit plan', () => {
  it('orders each partition\'s batches by sequence and gives them consecutive offsets from the base', () => {
    const plan = buildPlan([batch(1, 3, 2), batch(0, 0, 1), batch(1, 0, 3)], 'tx');
    expect(plan.partitions.map((p) => [p.partition, p.offsetCount])).toEqual([
      [0, 1],
      [1, 5],
    ]);
    const entries = indexEntries(plan.partitions[1]!, 10, 77);
    expect(entries.map((e) => [e.baseOffset, e.lastOffset, e.baseSequence, e.isTransactional, e.appendTime])).toEqual([
      [10, 12, 0, true, 77],
      [13, 14, 3, true, 77],
    ]);
  });

  it('refuses a partition whose sequences have a gap (a send failed) with OutOfOrderSequence', () => {
    expect(() => buildPlan([batch(0, 0, 2), batch(0, 3, 1)], 'tx')).toThrow(expect.objectContaining({ code: 'OutOfOrderSequence' }));
    expect(() => buildPlan([batch(0, 5, 2), batch(0, 9, 1)], 'tx')).toThrow(expect.objectContaining({ code: 'OutOfOrderSequence' }));
  });

  it('accepts a run that starts above 0 (Kafka producers keep counting across transactions)', () => {
    const plan = buildPlan([batch(0, 7, 2), batch(0, 5, 2)], 'tx');
    expect(plan.partitions[0]!.batches.map((b) => b.baseSequence)).toEqual([5, 7]);
  });

  it('checks the member of the latest sendOffsets of each group', () => {
    const plan = buildPlan([offset('g', 0, 5, 1, { memberId: 'm-old', memberEpoch: 1 }), offset('g', 1, 6, 2, { memberId: 'm', memberEpoch: 2 }), offset('h', 0, 1, 1)], 'tx');
    expect(plan.groups.map((g) => [g.groupId, g.offsets.length, g.member?.memberId])).toEqual([
      ['g', 2, 'm'],
      ['h', 1, undefined],
    ]);
  });

  it('counts the items of a one-step commit and of the final step of a large one', () => {
    const plan = buildPlan([batch(0, 0, 1), batch(0, 1, 1), batch(1, 0, 1), offset('g', 0, 3, 1)], 'tx');
    expect(singleStepItems(plan)).toBe(1 + 2 + 3 + 1 + 1 + 1);
    expect(finalStepItems(plan)).toBe(2 + 1 + 1);
    expect(plan.objectKeys).toEqual(['ingest/aa/o1']);
  });
});
