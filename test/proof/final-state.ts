/** The log as it stands at the end of a run, read back with clients that inject no faults. */
import type { ReadRecord } from './history.js';

export interface IndexRange {
  readonly baseOffset: number;
  /** Inclusive. */
  readonly lastOffset: number;
}

export interface FinalPartition {
  readonly partition: number;
  readonly logStartOffset: number;
  readonly highWatermark: number;
  /** Every record from the log start to the high watermark, as a consumer reads them. */
  readonly records: readonly ReadRecord[];
  /** The batch index items, ascending. */
  readonly index: readonly IndexRange[];
}

/** The transactions topic and the offsets the transactions committed for their groups. */
export interface FinalTransactional {
  readonly partitions: readonly FinalPartition[];
  /** Committed offset by group (null: nothing committed). */
  readonly committed: Readonly<Record<string, number | null>>;
}

export interface FinalState {
  readonly partitions: readonly FinalPartition[];
  /** Present when the workload ran transactions. */
  readonly transactional?: FinalTransactional;
}
