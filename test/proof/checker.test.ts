import { describe, expect, it } from 'vitest';
import type { AnomalyKind } from './anomaly.js';
import { checkHistory } from './checker.js';
import type { FinalPartition, FinalState } from './final-state.js';
import type { AssignmentEvent, CommitEvent, HistoryEvent, OffsetsEvent, ProduceEvent, ReadEvent, TransactionEvent, TxnReadEvent } from './history.js';

function produce(producer: string, sendIndex: number, values: string[], offsets: number[] | undefined, at: number, idempotent = true): ProduceEvent {
  return {
    kind: 'produce',
    producer,
    idempotent,
    partition: 0,
    sendIndex,
    values,
    invokedMs: at,
    completedMs: at + 5,
    outcome: offsets === undefined ? { status: 'unknown', error: 'RequestTimedOut' } : { status: 'ok', offsets },
  };
}

function read(fromOffset: number, values: [number, string][], at: number, highWatermark?: number): ReadEvent {
  return {
    kind: 'read',
    reader: 'r',
    partition: 0,
    fromOffset,
    invokedMs: at,
    completedMs: at + 1,
    records: values.map(([offset, value]) => ({ offset, value })),
    ...(highWatermark !== undefined ? { highWatermark } : {}),
  };
}

function partition(values: string[], over: Partial<FinalPartition> = {}): FinalPartition {
  return {
    partition: 0,
    logStartOffset: 0,
    highWatermark: values.length,
    records: values.map((value, offset) => ({ offset, value })),
    index: values.map((_, offset) => ({ baseOffset: offset, lastOffset: offset })),
    ...over,
  };
}

const final = (p: FinalPartition): FinalState => ({ partitions: [p] });

const goodHistory: HistoryEvent[] = [
  produce('a', 0, ['a/0', 'a/1'], [0, 1], 0),
  produce('b', 0, ['b/0'], [2], 10),
  produce('a', 1, ['a/2'], undefined, 20),
  read(0, [[0, 'a/0'], [1, 'a/1']], 30, 3),
  read(1, [[1, 'a/1'], [2, 'b/0']], 40, 3),
];
const goodLog = ['a/0', 'a/1', 'b/0'];

function kinds(history: HistoryEvent[], state: FinalState): AnomalyKind[] {
  return [...new Set(checkHistory(history, state).map((a) => a.kind))].sort();
}

/** A member's commit of partition 0 in group g: answered (ok) or not (unknown), explicit (after a seek) or not. */
function commitEvent(offset: number, at: number, explicit: boolean, status: 'ok' | 'unknown' = 'ok'): CommitEvent {
  return {
    kind: 'commit',
    group: 'g',
    member: 'm',
    memberEpoch: 1,
    partition: 0,
    offset,
    invokedMs: at,
    completedMs: at + 1,
    ...(explicit ? { explicit } : {}),
    outcome: status === 'ok' ? { status, committed: offset } : { status, error: 'RequestTimedOut' },
  };
}

describe('the history checker', () => {
  it('finds nothing wrong in a history that keeps every invariant', () => {
    expect(checkHistory(goodHistory, final(partition(goodLog)))).toEqual([]);
  });

  it('accepts a failed send whose records were appended after all', () => {
    expect(checkHistory(goodHistory, final(partition([...goodLog, 'a/2'])))).toEqual([]);
  });

  it('reports an acknowledged record that is missing or replaced as a lost write', () => {
    expect(kinds(goodHistory.slice(0, 3), final(partition(['a/0', 'b/0', 'a/1'])))).toContain('lost-write');
    const shorter = partition(['a/0', 'a/1']);
    expect(kinds(goodHistory.slice(0, 3), final(shorter))).toEqual(['lost-write']);
  });

  it('accepts an acknowledgement without an offset when the record is in the log, and reports it lost otherwise', () => {
    const noOffset = produce('c', 0, ['c/0'], [-1], 50);
    expect(checkHistory([...goodHistory, noOffset, produce('d', 0, ['d/0'], [-1], 60)], final(partition([...goodLog, 'c/0', 'd/0'])))).toEqual([]);
    expect(kinds([...goodHistory, noOffset], final(partition(goodLog)))).toEqual(['lost-write']);
  });

  it('reports two acknowledgements of one offset', () => {
    const history = [...goodHistory, produce('b', 1, ['b/1'], [2], 50)];
    expect(kinds(history, final(partition([...goodLog, 'b/1'])))).toContain('conflicting-acks');
  });

  it('reports an idempotent record stored twice, but not a non-idempotent one', () => {
    expect(kinds(goodHistory, final(partition([...goodLog, 'b/0'])))).toEqual(['duplicate']);
    const history = goodHistory.map((e) => (e.kind === 'produce' && e.producer === 'b' ? { ...e, idempotent: false } : e));
    expect(checkHistory(history, final(partition([...goodLog, 'b/0'])))).toEqual([]);
  });

  it('reports a record nobody sent', () => {
    expect(kinds(goodHistory, final(partition([...goodLog, 'z/9'])))).toEqual(['phantom']);
  });

  it('reports holes and overlaps in offsets and in the index', () => {
    const gap = partition(goodLog, { records: [{ offset: 0, value: 'a/0' }, { offset: 1, value: 'a/1' }], highWatermark: 3 });
    expect(kinds(goodHistory.slice(0, 3), final(gap))).toContain('offset-gap');
    const indexGap = partition(goodLog, { index: [{ baseOffset: 0, lastOffset: 0 }, { baseOffset: 2, lastOffset: 2 }] });
    expect(kinds(goodHistory, final(indexGap))).toEqual(['offset-gap']);
    const overlap = partition(goodLog, { index: [{ baseOffset: 0, lastOffset: 1 }, { baseOffset: 1, lastOffset: 2 }] });
    expect(kinds(goodHistory, final(overlap))).toEqual(['offset-overlap']);
  });

  it("reports a producer's records out of send order", () => {
    const history = [produce('a', 0, ['a/0'], undefined, 0), produce('a', 1, ['a/1'], [0], 10)];
    expect(kinds(history, final(partition(['a/1', 'a/0'])))).toEqual(['producer-order']);
  });

  it('reports a read that saw a record the log does not hold at that offset, or skipped one', () => {
    expect(kinds([...goodHistory, read(0, [[0, 'a/0'], [1, 'b/0']], 60)], final(partition(goodLog)))).toEqual(['read-mismatch']);
    expect(kinds([...goodHistory, read(0, [[0, 'a/0'], [2, 'b/0']], 60)], final(partition(goodLog)))).toEqual(['read-gap']);
    expect(kinds([...goodHistory, read(3, [[3, 'x/0']], 60)], final(partition(goodLog)))).toEqual(['read-mismatch']);
  });

  it('reports a read that saw an older high watermark than an acknowledgement or a read completed before it', () => {
    expect(kinds([...goodHistory, read(0, [], 16, 2)], final(partition(goodLog)))).toEqual(['stale-read']);
    expect(kinds([...goodHistory, read(0, [], 100, 2)], final(partition(goodLog)))).toEqual(['stale-read']);
    expect(checkHistory([...goodHistory, read(0, [], 12, 2)], final(partition(goodLog)))).toEqual([]);
  });

  it('reports a committed offset that went backward, unless a reset came between', () => {
    const commit = (offset: number, at: number): CommitEvent => commitEvent(offset, at, false);
    const seen = (offset: number, at: number, reset = false): OffsetsEvent => ({ kind: 'offsets', group: 'g', partition: 0, offset, invokedMs: at, completedMs: at + 1, reset });
    expect(kinds([commit(5, 0), seen(3, 10)], final(partition([])))).toEqual(['commit-regressed']);
    expect(checkHistory([commit(5, 0), seen(3, 10, true), seen(3, 20)], final(partition([])))).toEqual([]);
    expect(checkHistory([commit(5, 0), commit(7, 10), seen(7, 20)], final(partition([])))).toEqual([]);
  });

  it('lets an explicit commit after a seek move the offset back, and nothing else', () => {
    const commit = commitEvent;
    const seen = (offset: number, at: number): OffsetsEvent => ({ kind: 'offsets', group: 'g', partition: 0, offset, invokedMs: at, completedMs: at + 1 });
    expect(checkHistory([commit(10, 0, false), commit(3, 10, true), seen(3, 20), commit(5, 30, false)], final(partition([])))).toEqual([]);
    expect(checkHistory([commit(10, 0, false), commit(3, 10, true, 'unknown'), commit(5, 30, false)], final(partition([])))).toEqual([]);
    expect(kinds([commit(10, 0, false), commit(3, 10, false)], final(partition([])))).toEqual(['commit-regressed']);
    expect(kinds([commit(10, 0, false), commit(3, 10, true), seen(3, 20), seen(2, 30)], final(partition([])))).toEqual(['commit-regressed']);
  });

  it('lets an unanswered explicit commit have taken effect or not, and nothing below both', () => {
    const commit = commitEvent;
    const seen = (offset: number, at: number): OffsetsEvent => ({ kind: 'offsets', group: 'g', partition: 0, offset, invokedMs: at, completedMs: at + 1 });
    // A seek forward whose reply was lost and that did not land: the offset before it is still seen.
    expect(checkHistory([commit(4, 0, true), commit(8, 10, true, 'unknown'), seen(4, 20)], final(partition([])))).toEqual([]);
    // Or it did land.
    expect(checkHistory([commit(4, 0, true), commit(8, 10, true, 'unknown'), seen(8, 20)], final(partition([])))).toEqual([]);
    // A commit answered after it raises the floor again.
    expect(kinds([commit(4, 0, true), commit(8, 10, true, 'unknown'), commit(6, 20, false), seen(5, 30)], final(partition([])))).toEqual(['commit-regressed']);
  });

  it('reports a partition handed to two members at one group epoch or while its owner still held it', () => {
    const grant = (member: string, partitions: number[], groupEpoch: number, at: number): AssignmentEvent => ({
      kind: 'assignment',
      group: 'g',
      member,
      memberEpoch: groupEpoch,
      groupEpoch,
      partitions,
      invokedMs: at,
      completedMs: at + 1,
      sessionTimeoutMs: 1000,
    });
    expect(kinds([grant('a', [0], 1, 0), grant('b', [0], 1, 5)], final(partition([])))).toEqual(['two-owners']);
    expect(kinds([grant('a', [0], 1, 0), grant('b', [0], 2, 10), grant('a', [0], 2, 20)], final(partition([])))).toEqual(['two-owners']);
    expect(checkHistory([grant('a', [0], 1, 0), grant('a', [], 2, 10), grant('b', [0], 2, 20)], final(partition([])))).toEqual([]);
    expect(checkHistory([grant('a', [0], 1, 0), grant('b', [0], 2, 2000)], final(partition([])))).toEqual([]);
  });
});

describe('the transaction checks', () => {
  type Outcome = TransactionEvent['outcome'];
  const txn = (offset: number, values: string[], outcome: Outcome, ranges: TransactionEvent['ranges'] = []): TransactionEvent => ({
    kind: 'transaction',
    transactionalId: 'tx',
    values: values.map((value) => ({ partition: 0, value })),
    group: 'g',
    offset,
    outcome,
    ranges,
    invokedMs: offset * 10,
    completedMs: offset * 10 + 5,
  });
  const txnRead = (records: [number, string][]): TxnReadEvent => ({ kind: 'txn-read', partition: 0, records: records.map(([offset, value]) => ({ offset, value })), invokedMs: 100, completedMs: 101 });
  const withTopic = (values: string[], committed: number | null): FinalState => ({ partitions: [partition([])], transactional: { partitions: [partition(values)], committed: { g: committed } } });
  const kinds = (h: HistoryEvent[], f: FinalState) => checkHistory(h, f).map((a) => a.kind);
  const one = txn(1, ['t/0', 't/1'], 'committed', [{ partition: 0, baseOffset: 0, lastOffset: 1 }]);

  it('finds nothing wrong when committed transactions are whole, aborted ones absent and offsets follow', () => {
    const h = [one, txn(2, ['t/2'], 'aborted'), txn(3, ['t/3'], 'unknown'), txnRead([[0, 't/0'], [1, 't/1']])];
    expect(checkHistory(h, withTopic(['t/0', 't/1'], 1))).toEqual([]);
    expect(checkHistory(h, withTopic(['t/0', 't/1', 't/3'], 3))).toEqual([]);
  });

  it('reports an aborted transaction seen, a committed or in-doubt one in part, and records outside the reported ranges', () => {
    expect(kinds([one, txn(2, ['t/2'], 'aborted')], withTopic(['t/0', 't/1', 't/2'], 1))).toEqual(['transaction']);
    expect(kinds([one], withTopic(['t/0'], 1))).toEqual(['transaction']);
    expect(kinds([one], withTopic([], 1))).toEqual(['lost-write']);
    expect(kinds([txn(1, ['t/0', 't/1'], 'unknown')], withTopic(['t/1'], 0))).toEqual(['transaction', 'transaction']);
    expect(kinds([txn(1, ['t/0'], 'committed', [{ partition: 0, baseOffset: 4, lastOffset: 4 }])], withTopic(['t/0'], 1))).toEqual(['transaction']);
  });

  it('reports records and offsets that did not go together', () => {
    // The group ends at an aborted transaction's offset, or below a committed one's.
    expect(kinds([one, txn(2, ['t/2'], 'aborted')], withTopic(['t/0', 't/1'], 2))).toEqual(['transaction']);
    expect(kinds([one], withTopic(['t/0', 't/1'], 0))).toEqual(['transaction']);
    // An in-doubt transaction whose offset landed but not its records, and one whose records landed but not its offset.
    expect(kinds([one, txn(2, ['t/2'], 'unknown')], withTopic(['t/0', 't/1'], 2))).toEqual(['transaction']);
    expect(kinds([one, txn(2, ['t/2'], 'unknown')], withTopic(['t/0', 't/1', 't/2'], 1))).toEqual(['transaction']);
  });

  it('reports a read of an aborted record, a read that skipped, a record no transaction sent, and one stored twice', () => {
    const aborted = txn(2, ['t/2'], 'aborted');
    expect(kinds([one, aborted, txnRead([[0, 't/2']])], withTopic(['t/0', 't/1'], 1))).toEqual(['transaction', 'read-mismatch']);
    expect(kinds([one, txnRead([[0, 't/0'], [2, 't/1']])], withTopic(['t/0', 't/1'], 1))).toEqual(['read-gap', 'read-mismatch']);
    expect(kinds([one], withTopic(['t/0', 't/1', 'nobody'], 1))).toEqual(['phantom']);
    expect(kinds([one], withTopic(['t/0', 't/1', 't/1'], 1))).toEqual(['duplicate']);
  });
});
