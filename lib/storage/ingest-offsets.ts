/**
 * An ingest index item's batches as a reader serves them: one batch, or an
 * aggregated run of many requests' batches lying back to back, each written
 * with baseOffset 0 and taking the next offsets from the item's base.
 */
import { KafkalessError } from '../errors.js';
import { readBatchHeader, setBaseOffset, verifyBatchCrc } from '../log/index.js';
import type { BatchIndexEntry } from './batch-index.js';

/** Checks each CRC of an ingest item's batches and sets their baseOffsets from the item's, back to back; they must fill the item exactly. */
export function setIngestOffsets(chunk: Buffer, start: number, end: number, e: BatchIndexEntry): void {
  let position = start;
  let expectedBase = e.baseOffset;
  while (position < end) {
    verifyBatchCrc(chunk, position);
    const header = readBatchHeader(chunk, position);
    if (position + header.sizeBytes > end) {
      throw new KafkalessError('CorruptRecord', `A batch in ${e.objectKey} runs past the range its index item gives`);
    }
    setBaseOffset(chunk, expectedBase, position);
    expectedBase += header.lastOffsetDelta + 1;
    position += header.sizeBytes;
  }
  if (e.recordCount > 0 && expectedBase !== e.lastOffset + 1) {
    throw new KafkalessError('CorruptRecord', `The batches at offset ${e.baseOffset} in ${e.objectKey} do not match their index item [${e.baseOffset}, ${e.lastOffset}]`);
  }
}

