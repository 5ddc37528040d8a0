/**
 * Reads segment items through their `.index` and `.timeindex`: an offset
 * becomes a relative offset, its floor entry a byte position, and a ranged
 * GET from there walks batches to the asked offset. Index files are
 * immutable (objects are never overwritten), so they are cached per
 * instance.
 */
import { KafkalessError } from '../errors.js';
import { decodeBatchAt, LOG_OVERHEAD, RECORD_BATCH_OVERHEAD, readBatchHeader, verifyBatchCrc, type BatchHeader } from '../log/index.js';
import type { BatchIndexEntry } from './batch-index.js';
import type { ObjectStore } from './object-store.js';
import { decodeOffsetIndex, decodeTimeIndex, firstCandidateOffset, floorPosition, INDEX_INTERVAL_BYTES, type OffsetIndexEntry, type TimeIndexEntry } from './segment-files.js';
import { offsetIndexKey, segmentBaseOffset, timeIndexKey } from './segment-keys.js';

/** Index files kept per instance (each is small: 8 bytes per ~4 KiB of log). */
const CACHE_LIMIT = 512;
/** Smallest ranged GET while walking a segment. */
const MIN_WINDOW_BYTES = 64 * 1024;

const offsetIndexCache = new Map<string, OffsetIndexEntry[]>();
const timeIndexCache = new Map<string, TimeIndexEntry[]>();

async function cached<T>(cache: Map<string, T>, key: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const value = await load();
  cache.set(key, value);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return value;
}

export function loadOffsetIndex(objects: ObjectStore, logKey: string): Promise<OffsetIndexEntry[]> {
  const key = offsetIndexKey(logKey);
  return cached(offsetIndexCache, `${objects.bucket}/${key}`, async () => decodeOffsetIndex(await objects.get(key)));
}

export function loadTimeIndex(objects: ObjectStore, logKey: string): Promise<TimeIndexEntry[]> {
  const key = timeIndexKey(logKey);
  return cached(timeIndexCache, `${objects.bucket}/${key}`, async () => decodeTimeIndex(await objects.get(key)));
}

export interface WalkedBatch {
  readonly bytes: Buffer;
  readonly header: BatchHeader;
}

function corrupt(entry: BatchIndexEntry, what: string): KafkalessError {
  return new KafkalessError('CorruptRecord', `Segment ${entry.objectKey} at offsets [${entry.baseOffset}, ${entry.lastOffset}]: ${what}`);
}

/**
 * The batches of an index item from byte `start` (a batch boundary) to the
 * item's end, CRC-checked and checked to lie inside the item's offsets, read
 * in windows of at least `windowBytes`.
 */
export async function* walkBatches(objects: ObjectStore, entry: BatchIndexEntry, start: number, windowBytes: number): AsyncGenerator<WalkedBatch> {
  const end = entry.position + entry.sizeBytes;
  let window = Math.max(windowBytes, RECORD_BATCH_OVERHEAD);
  let pos = start;
  let previousLast = entry.baseOffset - 1;
  while (pos < end) {
    const chunk = await objects.getRange(entry.objectKey, pos, Math.min(end, pos + window));
    let at = 0;
    while (chunk.length - at >= LOG_OVERHEAD) {
      const size = chunk.readInt32BE(at + 8) + LOG_OVERHEAD;
      if (size < RECORD_BATCH_OVERHEAD || pos + at + size > end) throw corrupt(entry, `a batch at byte ${pos + at} runs past the item's range`);
      if (at + size > chunk.length) break;
      verifyBatchCrc(chunk, at);
      const header = readBatchHeader(chunk, at);
      if (header.baseOffset <= previousLast || header.lastOffset > entry.lastOffset) throw corrupt(entry, `batch [${header.baseOffset}, ${header.lastOffset}] is out of place`);
      previousLast = header.lastOffset;
      yield { bytes: chunk.subarray(at, at + size), header };
      at += size;
    }
    if (at === 0) {
      if (chunk.length < LOG_OVERHEAD) throw corrupt(entry, `the item's range ends inside a batch header at byte ${pos}`);
      window = chunk.readInt32BE(8) + LOG_OVERHEAD;
      continue;
    }
    pos += at;
  }
}

export interface SliceRequest {
  /** The first offset wanted; batches ending before it are skipped. */
  readonly fromOffset: number;
  readonly maxBytes: number;
  /** Return the first batch even when it is larger than maxBytes (a fetch's first batch). */
  readonly atLeastOne: boolean;
}

/** Where to begin walking an item for `fromOffset`: its floor entry in the `.index`, never before the item. */
async function startPosition(objects: ObjectStore, entry: BatchIndexEntry, fromOffset: number): Promise<number> {
  if (fromOffset <= entry.baseOffset) return entry.position;
  const index = await loadOffsetIndex(objects, entry.objectKey);
  const position = floorPosition(index, fromOffset - segmentBaseOffset(entry.objectKey));
  return position >= entry.position && position < entry.position + entry.sizeBytes ? position : entry.position;
}

/**
 * Whole batches of a segment item from `fromOffset`, up to `maxBytes`;
 * `complete` when they run to the end of the item (the byte limit did not
 * cut them short), so what follows the item may follow them.
 */
export async function readSegmentSlice(objects: ObjectStore, entry: BatchIndexEntry, request: SliceRequest): Promise<{ bytes: Buffer; complete: boolean }> {
  const start = await startPosition(objects, entry, request.fromOffset);
  const window = Math.max(MIN_WINDOW_BYTES, request.maxBytes + INDEX_INTERVAL_BYTES);
  const out: Buffer[] = [];
  let total = 0;
  let complete = true;
  for await (const batch of walkBatches(objects, entry, start, window)) {
    if (batch.header.lastOffset < request.fromOffset) continue;
    const fits = total + batch.bytes.length <= request.maxBytes;
    if (!fits && !(request.atLeastOne && out.length === 0)) {
      complete = false;
      break;
    }
    out.push(batch.bytes);
    total += batch.bytes.length;
    if (total >= request.maxBytes) {
      complete = batch.header.lastOffset >= entry.lastOffset;
      break;
    }
  }
  return { bytes: Buffer.concat(out, total), complete };
}

/** The first record at or after `timestamp` (and at or after `minOffset`) in a segment item, found through its `.timeindex`. */
export async function segmentOffsetForTime(
  objects: ObjectStore,
  entry: BatchIndexEntry,
  timestamp: number,
  minOffset: number,
): Promise<{ offset: number; timestamp: number } | undefined> {
  const timeIndex = await loadTimeIndex(objects, entry.objectKey);
  const candidate = segmentBaseOffset(entry.objectKey) + firstCandidateOffset(timeIndex, timestamp);
  const from = Math.max(candidate, minOffset, entry.baseOffset);
  if (from > entry.lastOffset) return undefined;
  const start = await startPosition(objects, entry, from);
  for await (const batch of walkBatches(objects, entry, start, MIN_WINDOW_BYTES)) {
    if (batch.header.lastOffset < from || batch.header.maxTimestamp < timestamp) continue;
    const decoded = await decodeBatchAt(batch.bytes, 0, batch.header);
    for (const record of decoded.records) {
      if (record.offset >= from && record.timestamp >= timestamp) return { offset: record.offset, timestamp: record.timestamp };
    }
  }
  return undefined;
}
