/**
 * Replies of the maintenance function's read-only requests (`status`,
 * `describeLog`, `storageSummary`): what the stack holds in S3 and DynamoDB,
 * as the web console shows it. Plain JSON.
 */
import type { ErrorPayload } from '../errors.js';

/** The last run of one maintenance step (kept in the partitions table, `maintenance#<step>`). */
export interface MaintenanceRunRecord {
  /** The step: transactions, segments, retention, compaction, gc, groups. */
  readonly step: string;
  readonly runId: string;
  /** Epoch ms. */
  readonly startedAt: number;
  readonly finishedAt: number;
  /** What the run was asked to cover: every topic, or one topic (and some of its partitions). */
  readonly scope: { readonly topic?: string; readonly partitions?: readonly number[] };
  /** The step's counters (partitions worked, segments written, offsets expired, objects deleted, …). */
  readonly outcome: Readonly<Record<string, number>>;
  /** Failures the step reported, the first few. */
  readonly errors: readonly ErrorPayload[];
}

/** A registry item with no reference, as the collector sees it. */
export interface UnreferencedObjectView {
  readonly key: string;
  readonly refs: number;
  readonly state: 'pending' | 'live' | 'deleting';
  readonly createdAt: number;
  readonly releasedAt?: number;
  /** The collector deletes it on its next run (the grace period has passed). */
  readonly due: boolean;
}

/** An ingest object no registry item accounts for. */
export interface UnregisteredObjectView {
  readonly key: string;
  readonly sizeBytes: number;
  readonly madeAt: number;
  readonly due: boolean;
}

/** At most this many of each kind are listed; the counts are complete. */
export const LISTED_CANDIDATES = 100;

export interface MaintenanceStatusReply {
  /** The last run of each step that ever ran, in the order a run takes them. */
  readonly runs: readonly MaintenanceRunRecord[];
  readonly gracePeriodMs: number;
  readonly checkedAt: number;
  readonly unreferenced: { readonly count: number; readonly due: number; readonly objects: readonly UnreferencedObjectView[] };
  readonly unregistered: { readonly count: number; readonly due: number; readonly bytes: number; readonly objects: readonly UnregisteredObjectView[] };
}

export interface LogItemView {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly kind: 'ingest' | 'segment';
  readonly objectKey: string;
  readonly position: number;
  readonly sizeBytes: number;
  readonly recordCount: number;
  /** Batches in the item when more than one (an aggregated run, or a segment's run of batches). */
  readonly batchCount?: number;
  readonly firstTimestamp: number;
  readonly maxTimestamp: number;
  /** When the commit (or, for a segment, the newest commit it holds) happened. */
  readonly appendTime: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  readonly isTransactional: boolean;
}

export interface LogObjectView {
  readonly key: string;
  /** Index items pointing at it, by the registry; undefined when it has no registry item. */
  readonly refs?: number;
  readonly state?: 'pending' | 'live' | 'deleting';
  readonly createdAt?: number;
}

export interface DescribeLogReply {
  readonly topic: string;
  readonly topicId: string;
  readonly partition: number;
  readonly logStartOffset: number;
  readonly highWatermark: number;
  readonly bytes: number;
  readonly lastAppendTime: number;
  readonly items: readonly LogItemView[];
  /** The registry's view of every object the listed items point at. */
  readonly objects: readonly LogObjectView[];
  /** Where the next page starts; absent at the end of the log. */
  readonly nextOffset?: number;
}

export interface ObjectCount {
  readonly count: number;
  readonly bytes: number;
}

/** Commits seen in the index over the window: one commit = one ingest object (one S3 PUT, one DynamoDB transaction). */
export interface CommitActivity {
  readonly commits: number;
  /** Index items those commits wrote (one per partition per commit; an aggregated run is one). */
  readonly items: number;
  /** Of those, items written with a producer id (each also updates a producer-state item); an aggregated run's item names none. */
  readonly producerItems: number;
  readonly records: number;
  readonly bytes: number;
}

export interface StorageSummaryReply {
  readonly checkedAt: number;
  readonly windowMs: number;
  readonly objects: { readonly ingest: ObjectCount; readonly segments: ObjectCount; readonly other: ObjectCount };
  readonly commits: CommitActivity;
  /** Per topic: a commit that wrote to two topics counts for both. */
  readonly topics: readonly ({ readonly topic: string; readonly partitions: number; readonly storedBytes: number } & CommitActivity)[];
  /** Commits per minute, oldest first, `windowMs / 60 000` entries; `minute` is its start (epoch ms). */
  readonly perMinute: readonly { readonly minute: number; readonly commits: number }[];
  /** Index items already rolled into segments in the window (their commits can no longer be told apart). */
  readonly rolledItems: number;
  /** The last run of each maintenance step (as in the status reply). */
  readonly runs: readonly MaintenanceRunRecord[];
}
