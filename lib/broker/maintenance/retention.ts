/**
 * Retention (cleanup.policy contains delete). The unit of deletion is a
 * whole segment object (all its index items) or a whole ingest batch, taken
 * from the oldest while:
 *   - its newest record (maxTimestamp) is more than retention.ms old, or
 *   - the partition holds more than retention.bytes (the newest data kept is
 *     at most retention.bytes; Kafka keeps at least retention.bytes, give or
 *     take a segment).
 * Any unit may go, up to the high watermark: like Kafka, which rolls and
 * deletes an expired active segment, a partition whose data all expired is
 * left empty with logStartOffset = highWatermark.
 *
 * First the head's logStartOffset moves (conditional on the value read),
 * which is what readers see: older offsets answer OffsetOutOfRange at once.
 * Then index items wholly below logStartOffset (whoever moved it: retention
 * or deleteRecords) are deleted, each transaction releasing the objects'
 * references and moving the head's byte count by the same amount.
 */
import type { BatchIndexEntry } from '../../storage/batch-index.js';
import { isSegmentKey } from '../../storage/segment-keys.js';
import { DYNAMODB_TRANSACTION_ITEMS } from '../../limits.js';
import type { TransactionItem } from '../../storage/segment-transaction.js';
import type { MaintenanceDeps } from './deps.js';
import { countByObject, listItems, type PartitionWork } from './tally.js';

export interface RetentionUnit {
  readonly items: readonly BatchIndexEntry[];
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  readonly sizeBytes: number;
}

/** Consecutive items of one segment object form one unit; each ingest batch is its own. */
export function retentionUnits(items: readonly BatchIndexEntry[]): RetentionUnit[] {
  const groups: BatchIndexEntry[][] = [];
  for (const item of items) {
    const last = groups[groups.length - 1];
    const previous = last?.[last.length - 1];
    if (last !== undefined && isSegmentKey(item.objectKey) && previous!.objectKey === item.objectKey) last.push(item);
    else groups.push([item]);
  }
  return groups.map((group) => ({
    items: group,
    lastOffset: group[group.length - 1]!.lastOffset,
    maxTimestamp: Math.max(...group.map((i) => i.maxTimestamp)),
    sizeBytes: group.reduce((n, i) => n + i.sizeBytes, 0),
  }));
}

/** How many of the oldest units retention removes. */
export function expiredUnitCount(units: readonly RetentionUnit[], retentionMs: number, retentionBytes: number, nowMs: number): number {
  let cut = 0;
  if (retentionMs >= 0) {
    while (cut < units.length && nowMs - units[cut]!.maxTimestamp > retentionMs) cut++;
  }
  if (retentionBytes >= 0) {
    let kept = units.slice(cut).reduce((n, u) => n + u.sizeBytes, 0);
    while (cut < units.length && kept > retentionBytes) {
      kept -= units[cut]!.sizeBytes;
      cut++;
    }
  }
  return cut;
}

export async function applyRetention(deps: MaintenanceDeps, work: PartitionWork): Promise<void> {
  const { topic, partition, config } = work;
  const head = await deps.heads.get(topic.topicId, partition);
  if (!head.exists) return;
  let logStartOffset = head.logStartOffset;
  if (config.cleanupPolicy.includes('delete')) {
    const items = (await listItems(deps, topic.topicId, partition)).filter((i) => i.lastOffset >= head.logStartOffset && i.baseOffset < head.highWatermark);
    const units = retentionUnits(items);
    const cut = expiredUnitCount(units, config.retentionMs, config.retentionBytes, deps.now());
    const next = cut === 0 ? logStartOffset : Math.min(units[cut - 1]!.lastOffset + 1, head.highWatermark);
    if (next > logStartOffset && (await deps.items.advanceLogStart(topic.topicId, partition, logStartOffset, next))) {
      work.tally.offsetsExpired += next - logStartOffset;
      logStartOffset = next;
    }
  }
  work.tally.logStartOffset = logStartOffset;
  await deps.faults.at('maintenance.midStep', { step: 'retention', logStartOffset });
  await removeItemsBelow(deps, work, logStartOffset);
}

/** Deletes index items wholly below `logStartOffset`, releasing their objects. */
export async function removeItemsBelow(deps: MaintenanceDeps, work: PartitionWork, logStartOffset: number): Promise<void> {
  const items = (await listItems(deps, work.topic.topicId, work.partition)).filter((i) => i.lastOffset < logStartOffset);
  const removed = await removeItems(deps, work.topic.topicId, work.partition, items, true);
  work.tally.indexItemsRemoved += removed.items;
  work.tally.bytesReclaimed += removed.bytes;
  work.tally.conflicts += removed.conflicts;
}

/**
 * Deletes items in transactions of at most 100 items (deletes, one release
 * per object, and the head's byte count when `countBytes`). Items changed
 * meanwhile are left for a later run.
 */
export async function removeItems(
  deps: MaintenanceDeps,
  topicId: string,
  partition: number,
  items: readonly BatchIndexEntry[],
  countBytes: boolean,
): Promise<{ items: number; bytes: number; conflicts: number }> {
  const done = { items: 0, bytes: 0, conflicts: 0 };
  for (const group of removalGroups(items, countBytes ? 1 : 0)) {
    const now = deps.now();
    const bytes = group.reduce((n, i) => n + i.sizeBytes, 0);
    const tx: TransactionItem[] = [
      ...group.map((i) => deps.items.remove(topicId, partition, i)),
      ...[...countByObject(group)].map(([key, count]) => deps.registry.release(key, count, now)),
      ...(countBytes ? [deps.items.headBytes(topicId, partition, -bytes)] : []),
    ];
    const outcome = await deps.items.commit(tx);
    if (!outcome.ok) {
      done.conflicts++;
      continue;
    }
    done.items += group.length;
    done.bytes += bytes;
  }
  return done;
}

function removalGroups(items: readonly BatchIndexEntry[], extraItems: number): BatchIndexEntry[][] {
  const groups: BatchIndexEntry[][] = [];
  let current: BatchIndexEntry[] = [];
  let objects = new Set<string>();
  for (const item of items) {
    const nextObjects = new Set(objects).add(item.objectKey);
    if (current.length + 1 + nextObjects.size + extraItems > DYNAMODB_TRANSACTION_ITEMS) {
      groups.push(current);
      current = [];
      objects = new Set();
    }
    current.push(item);
    objects.add(item.objectKey);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
