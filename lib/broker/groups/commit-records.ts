/** The offset records an accepted commit writes, and its answer per partition. */
import type { CommitResult } from '../../protocol/group-replies.js';
import type { CommitOffsetsRequest } from '../../protocol/group-requests.js';
import type { OffsetRecord } from '../../storage/group-records.js';

type CommitEntry = CommitOffsetsRequest['offsets'][number];

function toRecord(e: CommitEntry, nowMs: number, epoch: number | undefined): OffsetRecord {
  return {
    topic: e.topic,
    partition: e.partition,
    offset: e.offset,
    metadata: e.metadata ?? '',
    commitTimeMs: nowMs,
    ...(epoch !== undefined ? { epoch } : {}),
    ...(e.leaderEpoch !== undefined ? { leaderEpoch: e.leaderEpoch } : {}),
  };
}

/** The records to write (every entry, as asked, at the committer's epoch when it has one) and the reply for each. */
export function decide(entries: readonly CommitEntry[], nowMs: number, epoch?: number): { writes: OffsetRecord[]; results: CommitResult[] } {
  return {
    writes: entries.map((e) => toRecord(e, nowMs, epoch)),
    results: entries.map((e) => ({ topic: e.topic, partition: e.partition, offset: e.offset, applied: true })),
  };
}
