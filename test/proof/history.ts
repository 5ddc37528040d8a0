/**
 * A workload's history: every operation with the time it was invoked and
 * the time it completed (milliseconds on one monotonic clock), and what it
 * returned. The checker judges a history against the final state.
 */

/** A produce call: one send() of records to one partition. */
export interface ProduceEvent {
  readonly kind: 'produce';
  readonly producer: string;
  /** Idempotent producers must append each record once; others at least once. */
  readonly idempotent: boolean;
  readonly partition: number;
  /** The producer's count of send() calls before this one: its send order. */
  readonly sendIndex: number;
  /** Unique record values, in send order. */
  readonly values: readonly string[];
  readonly invokedMs: number;
  readonly completedMs: number;
  /** ok: acknowledged at these offsets (one per value). unknown: failed; it may or may not have been appended. */
  readonly outcome: { readonly status: 'ok'; readonly offsets: readonly number[] } | { readonly status: 'unknown'; readonly error: string };
}

export interface ReadRecord {
  readonly offset: number;
  readonly value: string | null;
}

/**
 * A read of one partition from `fromOffset`: the records returned, in order
 * (they must start at `fromOffset` and have no gap), and, when known, the
 * high watermark the read saw.
 */
export interface ReadEvent {
  readonly kind: 'read';
  readonly reader: string;
  readonly partition: number;
  readonly fromOffset: number;
  readonly invokedMs: number;
  readonly completedMs: number;
  readonly records: readonly ReadRecord[];
  readonly highWatermark?: number;
}

/** An offset commit by a group member (consumer groups). */
export interface CommitEvent {
  readonly kind: 'commit';
  readonly group: string;
  readonly member: string;
  readonly memberEpoch: number;
  readonly partition: number;
  readonly offset: number;
  readonly invokedMs: number;
  readonly completedMs: number;
  /** True for a commit after a seek back: an explicit commit, the one kind of commit that may move the offset back. */
  readonly explicit?: boolean;
  /** ok: the group's committed offset after the request; rejected: fenced/stale; unknown: failed. */
  readonly outcome: { readonly status: 'ok'; readonly committed: number } | { readonly status: 'rejected' | 'unknown'; readonly error: string };
}

/** A committed offset seen by a fetch of the group's offsets, or an explicit reset (which may move it back). */
export interface OffsetsEvent {
  readonly kind: 'offsets';
  readonly group: string;
  readonly partition: number;
  /** null: nothing committed. */
  readonly offset: number | null;
  readonly invokedMs: number;
  readonly completedMs: number;
  /** True for an explicit reset: the one way an offset may go back. */
  readonly reset?: boolean;
}

/** What a member was told it may own, from one heartbeat reply. */
export interface AssignmentEvent {
  readonly kind: 'assignment';
  readonly group: string;
  readonly member: string;
  readonly memberEpoch: number;
  readonly groupEpoch: number;
  readonly partitions: readonly number[];
  readonly invokedMs: number;
  readonly completedMs: number;
  /** The member's session timeout: past it without a heartbeat, the member is expired. */
  readonly sessionTimeoutMs: number;
}

/**
 * A transaction (invariant 5): its records per partition, the offset it
 * committed for its group, and how it ended as far as the client knows.
 * `committed`: commit succeeded (with the ranges its records took);
 * `aborted`: commit was never asked, so nothing of it may ever be seen;
 * `unknown`: a commit was asked and did not answer success.
 */
export interface TransactionEvent {
  readonly kind: 'transaction';
  readonly transactionalId: string;
  readonly values: readonly { readonly partition: number; readonly value: string }[];
  /** The consumer group whose offset the transaction committed, and that offset. */
  readonly group: string;
  readonly offset: number;
  readonly outcome: 'committed' | 'aborted' | 'unknown';
  /** For a committed transaction: where its records went, per partition (inclusive). */
  readonly ranges: readonly { readonly partition: number; readonly baseOffset: number; readonly lastOffset: number }[];
  readonly error?: string;
  readonly invokedMs: number;
  readonly completedMs: number;
}

/** A read_committed read of the transactions topic. */
export interface TxnReadEvent {
  readonly kind: 'txn-read';
  readonly partition: number;
  readonly records: readonly ReadRecord[];
  readonly invokedMs: number;
  readonly completedMs: number;
}

/** One maintenance run asked by the workload (counted, not judged: its effects are judged through the log). */
export interface MaintenanceEvent {
  readonly kind: 'maintenance';
  readonly ok: boolean;
  readonly segmentsWritten: number;
  readonly objectsDeleted: number;
  readonly transactionsRecovered: number;
  /** A failed run's error; for a run that succeeded, why the collector did less (skipped, or objects left for the next run). */
  readonly error?: string;
  readonly invokedMs: number;
  readonly completedMs: number;
}

export type HistoryEvent = ProduceEvent | ReadEvent | CommitEvent | OffsetsEvent | AssignmentEvent | TransactionEvent | TxnReadEvent | MaintenanceEvent;

/** Collects events; the clock is monotonic (performance.now), shared by every worker of a run. */
export class History {
  readonly events: HistoryEvent[] = [];
  private readonly origin = performance.now();
  private readonly listeners: ((event: HistoryEvent) => void)[] = [];

  nowMs(): number {
    return performance.now() - this.origin;
  }

  add(event: HistoryEvent): void {
    this.events.push(event);
    for (const listen of this.listeners) listen(event);
  }

  /** Calls `listen` with every event added from now on. */
  onEvent(listen: (event: HistoryEvent) => void): void {
    this.listeners.push(listen);
  }

  count(kind: HistoryEvent['kind']): number {
    return this.events.reduce((n, e) => n + (e.kind === kind ? 1 : 0), 0);
  }
}
