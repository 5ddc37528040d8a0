/** What a maintenance run reports: per partition, the collector, and totals. Plain JSON. */
import type { ErrorPayload } from '../errors.js';

export interface PartitionMaintenance {
  readonly topic: string;
  readonly partition: number;
  /** Why nothing was done, when nothing was: another worker holds the lease. */
  readonly skipped?: 'leased';
  /** Segment objects written by the segment roller. */
  readonly segmentsWritten: number;
  /** Ingest batches rolled into segments. */
  readonly batchesRolled: number;
  /** Offsets retention moved the log start past. */
  readonly offsetsExpired: number;
  /** Records log compaction removed. */
  readonly recordsCompacted: number;
  /** Index bytes no longer held (retention and compaction). */
  readonly bytesReclaimed: number;
  /** Index items deleted or merged away. */
  readonly indexItemsRemoved: number;
  /** Swaps abandoned because another writer changed the items first. */
  readonly conflicts: number;
  readonly logStartOffset?: number;
  readonly errors?: readonly ErrorPayload[];
}

export interface CollectorReport {
  /** S3 objects deleted (a segment counts its three files). */
  readonly objectsDeleted: number;
  /** Of those, ingest objects that no commit ever referenced. */
  readonly orphansDeleted: number;
  /** Deleted topics whose data is now gone. */
  readonly topicsRemoved: number;
  /** Index items of deleted topics removed. */
  readonly indexItemsRemoved: number;
  readonly skipped?: 'leased';
  readonly errors?: readonly ErrorPayload[];
}

export interface MaintenanceTotals {
  readonly segmentsWritten: number;
  readonly bytesReclaimed: number;
  readonly objectsDeleted: number;
  readonly recordsRemoved: number;
}

export interface MaintenanceReply {
  readonly runId: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly partitions: readonly PartitionMaintenance[];
  readonly collector?: CollectorReport;
  /** Transactions recovered: timed out and aborted, rolled forward, rolled back. */
  readonly transactions?: { readonly examined: number; readonly timedOut: number; readonly rolledForward: number; readonly rolledBack: number; readonly failures: readonly { readonly transactionalId: string; readonly error: string }[] };
  /** Consumer groups swept for members past their session timeout. */
  readonly groups?: { readonly groups: number; readonly changed: number };
  readonly totals: MaintenanceTotals;
}
