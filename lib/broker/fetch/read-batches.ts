/**
 * Reads a partition's batches from an offset: the index says where each
 * batch lies; adjacent byte ranges of one object are fetched with one ranged
 * GET; every batch's CRC is checked and its baseOffset set from the index.
 */
import { KafkalessError } from '../../errors.js';
import { readBatchHeader, setBaseOffset, verifyBatchCrc } from '../../log/index.js';
import type { BatchIndex, BatchIndexEntry } from '../../storage/batch-index.js';
import type { ObjectStore } from '../../storage/object-store.js';

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

/** Index entries to serve: the one holding `offset`, then followers, until `maxBytes` (at least one entry). */
export async function selectEntries(index: BatchIndex, w: ReadWindow): Promise<BatchIndexEntry[]> {
  if (w.offset >= w.highWatermark) return [];
  const first = await index.containing(w.topicId, w.partition, w.offset);
  if (first === undefined) {
    throw new KafkalessError('OffsetOutOfRange', `Offset ${w.offset} is no longer in the log (removed by retention or compaction meanwhile)`, {
      context: { partition: w.partition, offset: w.offset },
    });
  }
  const entries = [first];
  let bytes = first.sizeBytes;
  let last = first.baseOffset;
  while (bytes < w.maxBytes && entries[entries.length - 1]!.lastOffset + 1 < w.highWatermark) {
    const page = await index.range(w.topicId, w.partition, last, w.highWatermark, INDEX_PAGE);
    if (page.length === 0) break;
    for (const e of page) {
      if (bytes + e.sizeBytes > w.maxBytes) return entries;
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
  const spans = coalesce(entries);
  const chunks = await Promise.all(spans.map((s) => objects.getRange(s.objectKey, s.start, s.end)));
  chunks.forEach((chunk, i) => {
    const span = spans[i]!;
    for (const e of span.entries) {
      let position = e.position - span.start;
      const end = position + e.sizeBytes;
      let expectedBase = e.baseOffset;
      // A segment item may stand for many batches: walk them all.
      while (position < end) {
        verifyBatchCrc(chunk, position);
        const header = readBatchHeader(chunk, position);
        if (position + header.sizeBytes > end) {
          throw new KafkalessError('CorruptRecord', `A batch in ${e.objectKey} runs past the range its index item gives`);
        }
        if (e.recordCount > 0 && e.sizeBytes === header.sizeBytes && header.lastOffsetDelta !== e.lastOffset - e.baseOffset) {
          throw new KafkalessError('CorruptRecord', `The batch at offset ${e.baseOffset} in ${e.objectKey} does not match its index item`);
        }
        if (e.sizeBytes === header.sizeBytes) setBaseOffset(chunk, expectedBase, position);
        expectedBase += header.lastOffsetDelta + 1;
        position += header.sizeBytes;
      }
    }
  });
  return Buffer.concat(chunks);
}
