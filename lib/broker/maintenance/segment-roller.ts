/**
 * The segment roller: rolls a partition's committed ingest batches into
 * segment objects once they reach segment.bytes or the oldest is older than
 * segment.ms (by commit time), writes `.index` and `.timeindex` beside each,
 * then swaps the index items.
 *
 * A segment is reserved in the registry before its files are written (so
 * no two workers write one key), and swapped in by several transactions of
 * at most ~48 batch items each: each transaction puts one segment item in
 * place of the first batch item of its run, deletes the others, releases a
 * reference on each ingest object and takes one on the segment, all
 * conditional on the batch items being exactly as read. A segment is thus
 * pointed at by several index items, each covering a contiguous part of it;
 * coverage of the offsets never changes, at any moment (offsets stay
 * contiguous). If a
 * swap loses its condition, the rest of the batches stay ingest batches and
 * are rolled again later.
 */
import { KafkalessError } from '../../errors.js';
import { readBatchHeader } from '../../log/index.js';
import { setIngestOffsets } from '../../storage/ingest-offsets.js';
import type { BatchIndexEntry } from '../../storage/batch-index.js';
import { buildSegmentFiles, MAX_SEGMENT_OFFSET_SPAN, type SegmentBatchInput } from '../../storage/segment-files.js';
import { isSegmentKey, offsetIndexKey, segmentLogKey, timeIndexKey } from '../../storage/segment-keys.js';
import { DYNAMODB_TRANSACTION_ITEMS } from '../../limits.js';
import type { TransactionItem } from '../../storage/segment-transaction.js';
import type { MaintenanceDeps } from './deps.js';
import { countByObject, listItems, mapLimit, type PartitionWork } from './tally.js';

/** Generations tried when a segment key is taken (a crashed earlier attempt's reservation). */
const KEY_ATTEMPTS = 8;

export async function rollSegments(deps: MaintenanceDeps, work: PartitionWork): Promise<void> {
  const { topic, partition, config } = work;
  const head = await deps.heads.get(topic.topicId, partition);
  if (!head.exists) return;
  // Items at or above the high watermark belong to a transaction commit under way: not yet visible, not ours to roll.
  const items = (await listItems(deps, topic.topicId, partition)).filter((i) => i.lastOffset >= head.logStartOffset && i.baseOffset < head.highWatermark);
  const limitBytes = Math.min(config.segmentBytes, deps.options.maxSegmentObjectBytes);
  let budget = deps.options.maxBytesPerPartitionRun;
  for (const run of ingestRuns(items)) {
    let rest = run;
    while (rest.length > 0 && budget > 0) {
      const take = planSegment(rest, limitBytes, config.segmentMs, deps.now());
      if (take === 0) break;
      const batches = rest.slice(0, take);
      rest = rest.slice(take);
      budget -= batches.reduce((n, b) => n + b.sizeBytes, 0);
      if (!(await writeSegment(deps, work, batches))) return;
    }
  }
}

/** Maximal runs of consecutive ingest batch items. */
export function ingestRuns(items: readonly BatchIndexEntry[]): BatchIndexEntry[][] {
  const runs: BatchIndexEntry[][] = [];
  let current: BatchIndexEntry[] = [];
  for (const item of items) {
    const previous = current[current.length - 1];
    if (isSegmentKey(item.objectKey) || (previous !== undefined && item.baseOffset !== previous.lastOffset + 1)) {
      if (current.length > 0) runs.push(current);
      current = isSegmentKey(item.objectKey) ? [] : [item];
    } else {
      current.push(item);
    }
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

/**
 * How many of the oldest batches make the next segment: as many as fit in
 * `limitBytes` (at least one), rolled only when full (the next batch would
 * not fit) or when the oldest was committed `segmentMs` ago; else 0.
 */
export function planSegment(items: readonly BatchIndexEntry[], limitBytes: number, segmentMs: number, nowMs: number): number {
  let total = 0;
  let n = 0;
  while (n < items.length) {
    const item = items[n]!;
    if (n > 0 && (total + item.sizeBytes > limitBytes || item.lastOffset - items[0]!.baseOffset > MAX_SEGMENT_OFFSET_SPAN)) break;
    total += item.sizeBytes;
    n++;
  }
  const full = n < items.length || total >= limitBytes;
  const aged = nowMs - items[0]!.appendTime >= segmentMs;
  return full || aged ? n : 0;
}

async function readIngestBatch(deps: MaintenanceDeps, item: BatchIndexEntry): Promise<SegmentBatchInput> {
  const bytes = await deps.objects.getRange(item.objectKey, item.position, item.position + item.sizeBytes);
  if (bytes.length !== item.sizeBytes) throw new KafkalessError('CorruptRecord', `The batches at offset ${item.baseOffset} in ${item.objectKey} do not match their index item`);
  // One batch, or an aggregated run of batches: every CRC checked, every baseOffset set.
  setIngestOffsets(bytes, 0, bytes.length, item);
  let maxTimestamp = -1;
  for (let position = 0; position < bytes.length; ) {
    const header = readBatchHeader(bytes, position);
    if (header.recordCount > 0) maxTimestamp = Math.max(maxTimestamp, header.maxTimestamp);
    position += header.sizeBytes;
  }
  return { bytes, baseOffset: item.baseOffset, lastOffset: item.lastOffset, maxTimestamp };
}

async function reserveKey(deps: MaintenanceDeps, work: PartitionWork, baseOffset: number): Promise<string | undefined> {
  for (let generation = 0; generation < KEY_ATTEMPTS; generation++) {
    const key = segmentLogKey(work.topic.topicId, work.partition, baseOffset, generation);
    if (await deps.registry.reserve(key, work.owner, deps.now())) return key;
  }
  return undefined;
}

/** Uploads a segment's three files; false when the reservation got too old to trust. */
export async function uploadSegment(
  deps: MaintenanceDeps,
  logKey: string,
  files: { log: Buffer; offsetIndex: Buffer; timeIndex: Buffer },
  reservedAtMs: number,
): Promise<boolean> {
  // The collector may take a reservation back after the grace period; never write that late.
  if (deps.now() - reservedAtMs > deps.options.gracePeriodMs / 2) return false;
  await Promise.all([
    deps.objects.put(offsetIndexKey(logKey), files.offsetIndex),
    deps.objects.put(timeIndexKey(logKey), files.timeIndex),
    deps.objects.put(logKey, files.log),
  ]);
  return true;
}

interface Chunk {
  readonly batches: readonly BatchIndexEntry[];
  readonly position: number;
  readonly sizeBytes: number;
}

/** Splits the batches into runs that each fit one transaction (put + deletes + one release per object + one acquire). */
export function planChunks(batches: readonly BatchIndexEntry[], positions: readonly number[]): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  while (start < batches.length) {
    const objects = new Set<string>();
    let end = start;
    while (end < batches.length) {
      const withNext = new Set(objects).add(batches[end]!.objectKey);
      const items = end - start + 1 + withNext.size + 1;
      if (items > DYNAMODB_TRANSACTION_ITEMS) break;
      objects.add(batches[end]!.objectKey);
      end++;
    }
    const slice = batches.slice(start, end);
    chunks.push({ batches: slice, position: positions[start]!, sizeBytes: slice.reduce((n, b) => n + b.sizeBytes, 0) });
    start = end;
  }
  return chunks;
}

function chunkEntry(chunk: Chunk, logKey: string): BatchIndexEntry {
  const first = chunk.batches[0]!;
  const last = chunk.batches[chunk.batches.length - 1]!;
  return {
    baseOffset: first.baseOffset,
    lastOffset: last.lastOffset,
    objectKey: logKey,
    position: chunk.position,
    sizeBytes: chunk.sizeBytes,
    recordCount: chunk.batches.reduce((n, b) => n + b.recordCount, 0),
    firstTimestamp: first.firstTimestamp,
    maxTimestamp: Math.max(...chunk.batches.map((b) => b.maxTimestamp)),
    producerId: -1,
    producerEpoch: -1,
    baseSequence: -1,
    isTransactional: false,
    appendTime: Math.max(...chunk.batches.map((b) => b.appendTime)),
  };
}

function swapItems(deps: MaintenanceDeps, work: PartitionWork, chunk: Chunk, logKey: string): TransactionItem[] {
  const { topicId } = work.topic;
  const [first, ...rest] = chunk.batches;
  const now = deps.now();
  return [
    deps.items.replace(topicId, work.partition, first!, chunkEntry(chunk, logKey)),
    ...rest.map((b) => deps.items.remove(topicId, work.partition, b)),
    ...[...countByObject(chunk.batches)].map(([key, count]) => deps.registry.release(key, count, now)),
    deps.registry.acquire(logKey, 1, work.owner),
  ];
}

/** Writes one segment and swaps it in; false when a swap lost its condition (stop for this run). */
async function writeSegment(deps: MaintenanceDeps, work: PartitionWork, batches: readonly BatchIndexEntry[]): Promise<boolean> {
  const inputs = await mapLimit(batches, deps.options.readConcurrency, (item) => readIngestBatch(deps, item));
  const baseOffset = batches[0]!.baseOffset;
  const files = buildSegmentFiles(baseOffset, inputs);
  const reservedAtMs = deps.now();
  const logKey = await reserveKey(deps, work, baseOffset);
  if (logKey === undefined || !(await uploadSegment(deps, logKey, files, reservedAtMs))) {
    work.tally.conflicts++;
    return false;
  }
  await deps.faults.at('maintenance.midStep', { step: 'segments', key: logKey });
  let swapped = 0;
  for (const chunk of planChunks(batches, files.positions)) {
    const outcome = await deps.items.commit(swapItems(deps, work, chunk, logKey));
    if (!outcome.ok) {
      work.tally.conflicts++;
      if (swapped > 0) work.tally.segmentsWritten++;
      return false;
    }
    swapped++;
    work.tally.batchesRolled += chunk.batches.length;
    work.tally.indexItemsRemoved += chunk.batches.length - 1;
  }
  work.tally.segmentsWritten++;
  return true;
}
