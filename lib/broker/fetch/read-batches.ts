/**
 * Reads a partition's batches from an offset: the index says where each
 * batch lies; adjacent byte ranges of one object are fetched with one ranged
 * GET; every batch's CRC is checked and its baseOffset set from the index
 * (an aggregated item's batches take offsets back to back from the item's).
 * A segment item (many batches, real baseOffsets already in place) is read
 * from the asked offset through the segment's `.index`, up to maxBytes.
 */
import { KafkalessError } from '../../errors.js';
import { readBatchHeader, verifyBatchCrc } from '../../log/index.js';
import type { BatchIndex, BatchIndexEntry } from '../../storage/batch-index.js';
import type { ObjectStore } from '../../storage/object-store.js';
import { setIngestOffsets } from '../../storage/ingest-offsets.js';
import { isSegmentKey } from '../../storage/segment-keys.js';
import { readSegmentSlice } from '../../storage/segment-reader.js';

/** A segment item to be read from `fromOffset` only, within `maxBytes` for the whole reply. */
interface SegmentSliceEntry extends BatchIndexEntry {
  readonly slice: { readonly fromOffset: number; readonly maxBytes: number };
}

function isSlice(e: BatchIndexEntry): e is SegmentSliceEntry {
  return 'slice' in e;
}

/** About how many bytes of a segment item lie at or after `offset` (records spread evenly), at most `maxBytes`. */
function sliceEstimate(e: BatchIndexEntry, offset: number, maxBytes: number): number {
  const share = (e.lastOffset - offset + 1) / (e.lastOffset - e.baseOffset + 1);
  return Math.min(maxBytes, Math.ceil(e.sizeBytes * share));
}

/** Index items read per query while filling a reply. */
const INDEX_PAGE = 200;

export interface ReadWindow {
  readonly topicId: string;
  readonly partition: number;
  readonly offset: number;
  /** Exclusive: the high watermark read before the index. */
  readonly highWatermark: number;
  readonly maxBytes: number;
}

/**
 * Index entries to serve: the one holding `offset`, then followers, until
 * `maxBytes` (at least one entry). The entries are read by several queries,
 * not one snapshot, so a follower that does not start right after the last
 * entry (the maintenance swapped items meanwhile) ends the selection.
 */
export async function selectEntries(index: BatchIndex, w: ReadWindow): Promise<BatchIndexEntry[]> {
  if (w.offset >= w.highWatermark) return [];
  const first = await index.containing(w.topicId, w.partition, w.offset);
  if (first === undefined) {
    throw new KafkalessError('OffsetOutOfRange', `Offset ${w.offset} is no longer in the log (removed by retention or compaction meanwhile)`, {
      context: { partition: w.partition, offset: w.offset },
    });
  }
  const segment = isSegmentKey(first.objectKey);
  const slice: SegmentSliceEntry = { ...first, slice: { fromOffset: w.offset, maxBytes: w.maxBytes } };
  const entries: BatchIndexEntry[] = [segment ? slice : first];
  let bytes = segment ? sliceEstimate(first, w.offset, w.maxBytes) : first.sizeBytes;
  let last = first.baseOffset;
  while (bytes < w.maxBytes && entries[entries.length - 1]!.lastOffset + 1 < w.highWatermark) {
    const page = await index.range(w.topicId, w.partition, last, w.highWatermark, INDEX_PAGE);
    if (page.length === 0) break;
    for (const e of page) {
      if (bytes + e.sizeBytes > w.maxBytes) return entries;
      // The index changed between our queries (a segment swap replaced the items after the first): serve what is
      // contiguous; the next fetch continues from there through the new items.
      if (e.baseOffset !== entries[entries.length - 1]!.lastOffset + 1) return entries;
      entries.push(e);
      bytes += e.sizeBytes;
      last = e.baseOffset;
    }
  }
  return entries;
}

interface Span {
  readonly objectKey: string;
  readonly start: number;
  end: number;
  readonly entries: BatchIndexEntry[];
}

/** Groups entries into runs that are adjacent in one object. */
export function coalesce(entries: readonly BatchIndexEntry[]): Span[] {
  const spans: Span[] = [];
  for (const e of entries) {
    const last = spans[spans.length - 1];
    if (last !== undefined && last.objectKey === e.objectKey && last.end === e.position) {
      last.end = e.position + e.sizeBytes;
      last.entries.push(e);
    } else {
      spans.push({ objectKey: e.objectKey, start: e.position, end: e.position + e.sizeBytes, entries: [e] });
    }
  }
  return spans;
}

/** The batches' bytes, baseOffsets set, CRCs verified, in offset order. */
export async function readEntries(objects: ObjectStore, entries: readonly BatchIndexEntry[]): Promise<Buffer> {
  const [first, ...rest] = entries;
  if (first === undefined || !isSlice(first)) return readWhole(objects, entries);
  const { bytes: head, complete } = await readSegmentSlice(objects, first, { fromOffset: first.slice.fromOffset, maxBytes: first.slice.maxBytes, atLeastOne: true });
  // The byte limit cut the slice short inside the segment item: what follows the item would leave a hole.
  if (!complete) return head;
  let budget = first.slice.maxBytes - head.length;
  const following: BatchIndexEntry[] = [];
  for (const e of rest) {
    if (e.sizeBytes > budget) break;
    following.push(e);
    budget -= e.sizeBytes;
  }
  return following.length === 0 ? head : Buffer.concat([head, await readWhole(objects, following)]);
}

/** Whole index items, adjacent ranges of one object coalesced into one GET. */
async function readWhole(objects: ObjectStore, entries: readonly BatchIndexEntry[]): Promise<Buffer> {
  const spans = coalesce(entries);
  const chunks = await Promise.all(spans.map((s) => objects.getRange(s.objectKey, s.start, s.end)));
  chunks.forEach((chunk, i) => {
    const span = spans[i]!;
    for (const e of span.entries) {
      const position = e.position - span.start;
      const end = position + e.sizeBytes;
      if (isSegmentKey(e.objectKey)) {
        checkSegmentItem(chunk, position, end, e);
        continue;
      }
      // An ingest item holds one batch, or an aggregated run of batches back to back: each takes the next offsets.
      setIngestOffsets(chunk, position, end, e);
    }
  });
  return Buffer.concat(chunks);
}

/** A segment item's batches carry their real offsets: check each CRC and that they lie, in order, inside the item. */
function checkSegmentItem(chunk: Buffer, start: number, end: number, e: BatchIndexEntry): void {
  let position = start;
  let previousLast = e.baseOffset - 1;
  while (position < end) {
    verifyBatchCrc(chunk, position);
    const header = readBatchHeader(chunk, position);
    if (position + header.sizeBytes > end || header.baseOffset <= previousLast || header.lastOffset > e.lastOffset) {
      throw new KafkalessError('CorruptRecord', `A batch in ${e.objectKey} does not lie inside its index item [${e.baseOffset}, ${e.lastOffset}]`);
    }
    previousLast = header.lastOffset;
    position += header.sizeBytes;
  }
}

/**
 * The reply's batches from the one holding `fromOffset`, within `maxBytes`
 * (at least that one batch, as Kafka serves): an aggregated index item holds
 * many requests' batches, of which a fetch wants only those from its offset
 * and as many as its limit takes. Batches' baseOffsets are already set.
 */
export function trimToFetch(bytes: Buffer, fromOffset: number, maxBytes: number): Buffer {
  let start = 0;
  while (start < bytes.length) {
    const header = readBatchHeader(bytes, start);
    if (header.lastOffset >= fromOffset) break;
    start += header.sizeBytes;
  }
  let end = start;
  while (end < bytes.length) {
    const size = readBatchHeader(bytes, end).sizeBytes;
    if (end > start && end + size - start > maxBytes) break;
    end += size;
  }
  return start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
}
