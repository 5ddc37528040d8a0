/**
 * Log compaction (cleanup.policy contains compact), over closed segments
 * only: ingest batches not yet rolled into a segment are the active part and
 * are never touched, nor is any segment whose newest record is younger than
 * min.compaction.lag.ms (and nothing after it).
 *
 * For every key the newest record in the cleanable segments is kept, older
 * ones are removed. Offsets never change: a rewritten batch keeps its base
 * offset, each record its offset delta and the batch its lastOffsetDelta;
 * batches left with no record are dropped, except the last batch of each
 * index item, which stays as an empty batch so every item still ends at its
 * own last offset (a fetch that lands in a gap is served the next batch).
 * Tombstones (null values) go once delete.retention.ms has passed since
 * their commit. Records without a key cannot be compacted: like Kafka's
 * cleaner, compaction drops them (producers should not send them to a
 * compacted topic; Kafka rejects them at produce time).
 *
 * A cleaned segment is a new object, `<baseOffset>.<generation+1>.log`, that
 * takes the place of the old one item by item (same base and last offsets),
 * conditionally on each old item being unchanged.
 */
import { decodeRecordBatches, encodeRecordBatch, type DecodedBatch } from '../../log/index.js';
import type { BatchIndexEntry } from '../../storage/batch-index.js';
import { buildSegmentFiles, type SegmentBatchInput } from '../../storage/segment-files.js';
import { isSegmentKey, parseSegmentKey, segmentLogKey } from '../../storage/segment-keys.js';
import { DYNAMODB_TRANSACTION_ITEMS } from '../../limits.js';
import type { TransactionItem } from '../../storage/segment-transaction.js';
import type { MaintenanceDeps } from './deps.js';
import { retentionUnits, type RetentionUnit } from './retention.js';
import { uploadSegment } from './segment-roller.js';
import { listItems, type PartitionWork } from './tally.js';

const KEY_ATTEMPTS = 8;

interface ItemBatches {
  readonly item: BatchIndexEntry;
  readonly batches: DecodedBatch[];
  readonly raw: Buffer[];
}

interface CleanedItem {
  readonly old: BatchIndexEntry;
  readonly batches: SegmentBatchInput[];
  readonly recordCount: number;
  readonly firstTimestamp: number;
  readonly maxTimestamp: number;
}

interface CleaningPlan {
  readonly map: Map<string, number>;
  readonly nowMs: number;
  readonly deleteRetentionMs: number;
  tombstoneDueMs: number | undefined;
}

export async function compactLog(deps: MaintenanceDeps, work: PartitionWork): Promise<void> {
  const { topic, partition, config } = work;
  if (!config.cleanupPolicy.includes('compact')) return;
  const head = await deps.heads.get(topic.topicId, partition);
  if (!head.exists) return;
  const now = deps.now();
  const units = cleanableUnits(
    (await listItems(deps, topic.topicId, partition)).filter((i) => i.lastOffset >= head.logStartOffset),
    now - config.minCompactionLagMs,
    deps.options.maxBytesPerPartitionRun,
  );
  if (units.length === 0) return;
  const cleanedUpTo = units[units.length - 1]!.lastOffset + 1;
  const checkpoint = await deps.checkpoints.get(topic.topicId, partition);
  const dirty = checkpoint === undefined || cleanedUpTo > checkpoint.cleanedUpTo;
  const tombstonesDue = checkpoint?.tombstoneDueMs !== undefined && checkpoint.tombstoneDueMs <= now;
  if (!dirty && !tombstonesDue) return;

  const read = await Promise.all(units.map((u) => readUnit(deps, u)));
  const plan: CleaningPlan = { map: latestOffsets(read.flat()), nowMs: now, deleteRetentionMs: config.deleteRetentionMs, tombstoneDueMs: undefined };
  let allSwapped = true;
  for (const unitItems of read) {
    const cleaned = await Promise.all(unitItems.map((i) => cleanItem(i, plan)));
    if (cleaned.every((c, i) => c === undefined || sameBatches(c, unitItems[i]!))) continue;
    await deps.faults.at('maintenance.midStep', { step: 'compaction', key: unitItems[0]!.item.objectKey });
    allSwapped = (await swapUnit(deps, work, unitItems, cleaned)) && allSwapped;
  }
  if (allSwapped) {
    await deps.checkpoints.put(topic.topicId, partition, { cleanedUpTo, ...(plan.tombstoneDueMs !== undefined ? { tombstoneDueMs: plan.tombstoneDueMs } : {}) });
  }
}

/** The closed segments compaction may clean: from the oldest, while whole segments older than the lag, within the byte budget. */
export function cleanableUnits(items: readonly BatchIndexEntry[], lagCutoffMs: number, budgetBytes: number): RetentionUnit[] {
  const out: RetentionUnit[] = [];
  let bytes = 0;
  for (const unit of retentionUnits(items)) {
    if (!isSegmentKey(unit.items[0]!.objectKey) || unit.maxTimestamp > lagCutoffMs) break;
    if (out.length > 0 && bytes + unit.sizeBytes > budgetBytes) break;
    out.push(unit);
    bytes += unit.sizeBytes;
  }
  return out;
}

async function readUnit(deps: MaintenanceDeps, unit: RetentionUnit): Promise<ItemBatches[]> {
  const first = unit.items[0]!;
  const last = unit.items[unit.items.length - 1]!;
  const contiguous = unit.items.every((item, i) => i === 0 || item.position === unit.items[i - 1]!.position + unit.items[i - 1]!.sizeBytes);
  const whole = contiguous ? await deps.objects.getRange(first.objectKey, first.position, last.position + last.sizeBytes) : undefined;
  const out: ItemBatches[] = [];
  for (const item of unit.items) {
    const bytes =
      whole !== undefined
        ? whole.subarray(item.position - first.position, item.position - first.position + item.sizeBytes)
        : await deps.objects.getRange(item.objectKey, item.position, item.position + item.sizeBytes);
    const batches = await decodeRecordBatches(Buffer.from(bytes));
    const raw: Buffer[] = [];
    let at = 0;
    for (const b of batches) {
      raw.push(Buffer.from(bytes.subarray(at, at + b.sizeBytes)));
      at += b.sizeBytes;
    }
    out.push({ item, batches, raw });
  }
  return out;
}

function keyOf(key: Buffer): string {
  return key.toString('latin1');
}

/** Per key, the offset of its newest record. */
export function latestOffsets(items: readonly ItemBatches[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const { batches } of items) {
    for (const batch of batches) {
      if (batch.isControl) continue;
      for (const r of batch.records) if (r.key !== null) map.set(keyOf(r.key), r.offset);
    }
  }
  return map;
}

function keep(record: DecodedBatch['records'][number], item: BatchIndexEntry, plan: CleaningPlan): boolean {
  if (record.key === null || plan.map.get(keyOf(record.key)) !== record.offset) return false;
  if (record.value !== null) return true;
  const dueMs = item.appendTime + plan.deleteRetentionMs;
  if (dueMs <= plan.nowMs) return false;
  plan.tombstoneDueMs = Math.min(plan.tombstoneDueMs ?? dueMs, dueMs);
  return true;
}

async function rewriteBatch(batch: DecodedBatch, records: DecodedBatch['records']): Promise<Buffer> {
  return encodeRecordBatch(
    records.map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp, offsetDelta: r.offsetDelta })),
    {
      baseOffset: batch.baseOffset,
      lastOffsetDelta: batch.lastOffsetDelta,
      compression: records.length === 0 ? 'none' : batch.compression,
      timestampType: batch.timestampType,
      ...(batch.timestampType === 'LogAppendTime' ? { logAppendTime: batch.maxTimestamp } : {}),
      producerId: batch.producerId,
      producerEpoch: batch.producerEpoch,
      baseSequence: batch.baseSequence,
      isTransactional: batch.isTransactional,
      partitionLeaderEpoch: batch.partitionLeaderEpoch,
    },
  );
}

/** An item's batches after cleaning; undefined when it has none to begin with. */
async function cleanItem(source: ItemBatches, plan: CleaningPlan): Promise<CleanedItem | undefined> {
  if (source.batches.length === 0) return undefined;
  const out: SegmentBatchInput[] = [];
  let recordCount = 0;
  let firstTimestamp = -1;
  let maxTimestamp = -1;
  for (const [i, batch] of source.batches.entries()) {
    const isLast = i === source.batches.length - 1;
    const kept = batch.isControl ? batch.records : batch.records.filter((r) => keep(r, source.item, plan));
    if (kept.length === 0 && !batch.isControl && !isLast) continue;
    const bytes = kept.length === batch.records.length ? source.raw[i]! : await rewriteBatch(batch, kept);
    const keptMax = kept.reduce((m, r) => Math.max(m, r.timestamp), -1);
    out.push({ bytes, baseOffset: batch.baseOffset, lastOffset: batch.lastOffset, maxTimestamp: keptMax });
    recordCount += kept.length;
    if (kept.length > 0 && firstTimestamp < 0) firstTimestamp = kept[0]!.timestamp;
    maxTimestamp = Math.max(maxTimestamp, keptMax);
  }
  return {
    old: source.item,
    batches: out,
    recordCount,
    firstTimestamp: firstTimestamp < 0 ? source.item.firstTimestamp : firstTimestamp,
    maxTimestamp: maxTimestamp < 0 ? source.item.maxTimestamp : maxTimestamp,
  };
}

function sameBatches(cleaned: CleanedItem, source: ItemBatches): boolean {
  return cleaned.batches.length === source.raw.length && cleaned.batches.every((b, i) => b.bytes === source.raw[i]);
}

async function reserveCleanedKey(deps: MaintenanceDeps, work: PartitionWork, oldKey: string): Promise<string | undefined> {
  const old = parseSegmentKey(oldKey)!;
  for (let attempt = 1; attempt <= KEY_ATTEMPTS; attempt++) {
    const key = segmentLogKey(work.topic.topicId, work.partition, old.baseOffset, old.generation + attempt);
    if (await deps.registry.reserve(key, work.owner, deps.now())) return key;
  }
  return undefined;
}

/** Writes the cleaned segment and puts its items in place of the old ones; false on a lost condition. */
async function swapUnit(deps: MaintenanceDeps, work: PartitionWork, source: ItemBatches[], cleanedOrNot: (CleanedItem | undefined)[]): Promise<boolean> {
  const cleaned = cleanedOrNot.map((c, i) => c ?? { old: source[i]!.item, batches: [], recordCount: 0, firstTimestamp: source[i]!.item.firstTimestamp, maxTimestamp: source[i]!.item.maxTimestamp });
  const oldKey = source[0]!.item.objectKey;
  const files = buildSegmentFiles(parseSegmentKey(oldKey)!.baseOffset, cleaned.flatMap((c) => c.batches));
  const reservedAtMs = deps.now();
  const newKey = await reserveCleanedKey(deps, work, oldKey);
  if (newKey === undefined || !(await uploadSegment(deps, newKey, files, reservedAtMs))) {
    work.tally.conflicts++;
    return false;
  }
  const entries = newEntries(cleaned, files.positions, newKey);
  const perTransaction = DYNAMODB_TRANSACTION_ITEMS - 3;
  for (let i = 0; i < entries.length; i += perTransaction) {
    const part = entries.slice(i, i + perTransaction);
    const delta = part.reduce((n, e) => n + e.next.sizeBytes - e.old.sizeBytes, 0);
    const tx: TransactionItem[] = [
      ...part.map((e) => deps.items.replace(work.topic.topicId, work.partition, e.old, e.next)),
      deps.registry.release(oldKey, part.length, deps.now()),
      deps.registry.acquire(newKey, part.length, work.owner),
      deps.items.headBytes(work.topic.topicId, work.partition, delta),
    ];
    const outcome = await deps.items.commit(tx);
    if (!outcome.ok) {
      work.tally.conflicts++;
      return false;
    }
    work.tally.bytesReclaimed -= delta;
    work.tally.recordsCompacted += part.reduce((n, e) => n + e.old.recordCount - e.next.recordCount, 0);
  }
  return true;
}

function newEntries(cleaned: readonly CleanedItem[], positions: readonly number[], newKey: string): { old: BatchIndexEntry; next: BatchIndexEntry }[] {
  let batchIndex = 0;
  return cleaned.map((c) => {
    const position = positions[batchIndex] ?? 0;
    batchIndex += c.batches.length;
    const sizeBytes = c.batches.reduce((n, b) => n + b.bytes.length, 0);
    return {
      old: c.old,
      next: { ...c.old, objectKey: newKey, position, sizeBytes, recordCount: c.recordCount, firstTimestamp: c.firstTimestamp, maxTimestamp: c.maxTimestamp },
    };
  });
}
