/**
 * The three files of a segment, laid out as Kafka lays them out:
 *
 *   .log        record batches concatenated, each with its real baseOffset
 *   .index      sparse offset index: entries of (relativeOffset int32, position int32),
 *               one for the first batch starting after every ~4 KiB of log
 *               (Kafka's index.interval.bytes); relativeOffset is the batch's
 *               base offset minus the segment's base offset
 *   .timeindex  entries of (timestamp int64, relativeOffset int32): every record
 *               at or below the offset has a timestamp at or below the time;
 *               timestamps strictly increase from entry to entry
 *
 * All big-endian. Pure functions; no I/O.
 */
import { readInt64, writeInt64 } from '../log/int64.js';

/** Kafka's index.interval.bytes default. */
export const INDEX_INTERVAL_BYTES = 4096;
export const OFFSET_INDEX_ENTRY_BYTES = 8;
export const TIME_INDEX_ENTRY_BYTES = 12;
/** Relative offsets are int32, so one segment spans fewer offsets than this. */
export const MAX_SEGMENT_OFFSET_SPAN = 2_147_483_647;

export interface SegmentBatchInput {
  /** The whole batch, its baseOffset field already set to the real offset. */
  readonly bytes: Buffer;
  readonly baseOffset: number;
  readonly lastOffset: number;
  /** -1 when the batch holds no record. */
  readonly maxTimestamp: number;
}

export interface SegmentFiles {
  readonly log: Buffer;
  readonly offsetIndex: Buffer;
  readonly timeIndex: Buffer;
  /** Byte position of each input batch in `log`. */
  readonly positions: readonly number[];
}

export interface OffsetIndexEntry {
  readonly relativeOffset: number;
  readonly position: number;
}

export interface TimeIndexEntry {
  readonly timestamp: number;
  readonly relativeOffset: number;
}

export function buildSegmentFiles(baseOffset: number, batches: readonly SegmentBatchInput[], intervalBytes = INDEX_INTERVAL_BYTES): SegmentFiles {
  const offsetEntries: OffsetIndexEntry[] = [];
  const timeEntries: TimeIndexEntry[] = [];
  const positions: number[] = [];
  let position = 0;
  let sinceLastEntry = 0;
  let maxTimestampSoFar = -1;
  let lastOffsetSoFar = -1;
  const appendTimeEntry = (): void => {
    const last = timeEntries[timeEntries.length - 1];
    if (maxTimestampSoFar >= 0 && (last === undefined || maxTimestampSoFar > last.timestamp)) {
      timeEntries.push({ timestamp: maxTimestampSoFar, relativeOffset: lastOffsetSoFar - baseOffset });
    }
  };
  for (const batch of batches) {
    if (batch.baseOffset < baseOffset || batch.lastOffset - baseOffset > MAX_SEGMENT_OFFSET_SPAN || batch.lastOffset < batch.baseOffset) {
      throw new Error(`Batch [${batch.baseOffset}, ${batch.lastOffset}] does not fit a segment based at ${baseOffset}`);
    }
    if (sinceLastEntry >= intervalBytes) {
      offsetEntries.push({ relativeOffset: batch.baseOffset - baseOffset, position });
      appendTimeEntry();
      sinceLastEntry = 0;
    }
    positions.push(position);
    position += batch.bytes.length;
    sinceLastEntry += batch.bytes.length;
    maxTimestampSoFar = Math.max(maxTimestampSoFar, batch.maxTimestamp);
    lastOffsetSoFar = batch.lastOffset;
  }
  appendTimeEntry();
  return {
    log: Buffer.concat(batches.map((b) => b.bytes), position),
    offsetIndex: encodeOffsetIndex(offsetEntries),
    timeIndex: encodeTimeIndex(timeEntries),
    positions,
  };
}

export function encodeOffsetIndex(entries: readonly OffsetIndexEntry[]): Buffer {
  const buf = Buffer.alloc(entries.length * OFFSET_INDEX_ENTRY_BYTES);
  entries.forEach((e, i) => {
    buf.writeInt32BE(e.relativeOffset, i * OFFSET_INDEX_ENTRY_BYTES);
    buf.writeInt32BE(e.position, i * OFFSET_INDEX_ENTRY_BYTES + 4);
  });
  return buf;
}

export function encodeTimeIndex(entries: readonly TimeIndexEntry[]): Buffer {
  const buf = Buffer.alloc(entries.length * TIME_INDEX_ENTRY_BYTES);
  entries.forEach((e, i) => {
    writeInt64(buf, i * TIME_INDEX_ENTRY_BYTES, e.timestamp);
    buf.writeInt32BE(e.relativeOffset, i * TIME_INDEX_ENTRY_BYTES + 8);
  });
  return buf;
}

function checkLength(buf: Buffer, entryBytes: number, what: string): void {
  if (buf.length % entryBytes !== 0) throw new Error(`A ${what} of ${buf.length} bytes is not a whole number of ${entryBytes}-byte entries`);
}

export function decodeOffsetIndex(buf: Buffer): OffsetIndexEntry[] {
  checkLength(buf, OFFSET_INDEX_ENTRY_BYTES, 'offset index');
  const out: OffsetIndexEntry[] = [];
  for (let at = 0; at < buf.length; at += OFFSET_INDEX_ENTRY_BYTES) {
    out.push({ relativeOffset: buf.readInt32BE(at), position: buf.readInt32BE(at + 4) });
  }
  return out;
}

export function decodeTimeIndex(buf: Buffer): TimeIndexEntry[] {
  checkLength(buf, TIME_INDEX_ENTRY_BYTES, 'time index');
  const out: TimeIndexEntry[] = [];
  for (let at = 0; at < buf.length; at += TIME_INDEX_ENTRY_BYTES) {
    out.push({ timestamp: readInt64(buf, at) ?? -1, relativeOffset: buf.readInt32BE(at + 8) });
  }
  return out;
}

/** Index of the last entry whose key is at or below `target` (entries sorted by key), or -1. */
function floorIndex<T>(entries: readonly T[], key: (e: T) => number, target: number): number {
  let lo = 0;
  let hi = entries.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (key(entries[mid]!) <= target) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Byte position of a batch starting at or before `relativeOffset`: where a reader begins its walk. */
export function floorPosition(entries: readonly OffsetIndexEntry[], relativeOffset: number): number {
  const i = floorIndex(entries, (e) => e.relativeOffset, relativeOffset);
  return i < 0 ? 0 : entries[i]!.position;
}

/**
 * The relative offset from which records may have a timestamp at or after
 * `timestamp`: one past the last entry whose time is below it, else 0.
 */
export function firstCandidateOffset(entries: readonly TimeIndexEntry[], timestamp: number): number {
  const i = floorIndex(entries, (e) => e.timestamp, timestamp - 1);
  return i < 0 ? 0 : entries[i]!.relativeOffset + 1;
}
