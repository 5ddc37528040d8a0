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

export interface FinalState {
  readonly partitions: readonly FinalPartition[];
}
