/** Counters one partition's maintenance fills in, and the helpers every step shares. */
import type { ErrorPayload } from '../../errors.js';
import type { TopicConfig } from '../../protocol/topic-config.js';
import type { PartitionMaintenance } from '../../protocol/maintenance-replies.js';
import type { BatchIndexEntry } from '../../storage/batch-index.js';
import type { TopicRecord } from '../../storage/topic-store.js';
import type { MaintenanceDeps } from './deps.js';

export class PartitionTally {
  segmentsWritten = 0;
  batchesRolled = 0;
  offsetsExpired = 0;
  recordsCompacted = 0;
  bytesReclaimed = 0;
  indexItemsRemoved = 0;
  conflicts = 0;
  logStartOffset: number | undefined;
  skipped: 'leased' | undefined;
  readonly errors: ErrorPayload[] = [];

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  toReport(): PartitionMaintenance {
    return {
      topic: this.topic,
      partition: this.partition,
      ...(this.skipped !== undefined ? { skipped: this.skipped } : {}),
      segmentsWritten: this.segmentsWritten,
      batchesRolled: this.batchesRolled,
      offsetsExpired: this.offsetsExpired,
      recordsCompacted: this.recordsCompacted,
      bytesReclaimed: this.bytesReclaimed,
      indexItemsRemoved: this.indexItemsRemoved,
      conflicts: this.conflicts,
      ...(this.logStartOffset !== undefined ? { logStartOffset: this.logStartOffset } : {}),
      ...(this.errors.length > 0 ? { errors: [...this.errors] } : {}),
    };
  }
}

/** One partition's work order. */
export interface PartitionWork {
  readonly topic: TopicRecord;
  readonly partition: number;
  readonly config: TopicConfig;
  /** The run id: lease and reservation owner. */
  readonly owner: string;
  readonly tally: PartitionTally;
}

/** Every index item of a partition, ascending (those below the log start offset too). */
export async function listItems(deps: MaintenanceDeps, topicId: string, partition: number): Promise<BatchIndexEntry[]> {
  const items: BatchIndexEntry[] = [];
  for await (const item of deps.index.scan(topicId, partition, 0)) items.push(item);
  return items;
}

/** Index items per object key, for reference counting. */
export function countByObject(items: readonly BatchIndexEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.objectKey, (counts.get(item.objectKey) ?? 0) + 1);
  return counts;
}

/** Runs `fn` over `inputs` with at most `limit` in flight; results in input order. */
export { mapLimit } from '../../map-limit.js';
