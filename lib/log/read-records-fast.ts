/**
 * The fast path of record decoding: one pass over a batch's (decompressed) record
 * bytes with the cursor in a local variable, building each DecodedRecord directly.
 *
 * It accepts only what the general reader (ByteReader + readRecord) accepts, and
 * builds the same records. On anything unusual (a truncated or over-long varint, a
 * varlong above 7 bytes, a bad length, an offset outside the safe range, leftover
 * bytes) it returns undefined and decodes nothing: the caller then runs the general
 * reader, which either decodes the batch or throws the exact CorruptRecord it always
 * has. Errors are thus reported in one place only.
 */
import { MIN_RECORD_SIZE_BYTES, type BatchHeader, type DecodedRecord, type RecordHeader } from './record-batch-types.js';
import { recordSequence } from './sequence.js';

/** Bytes a varlong may take here (its value then fits a double exactly); longer ones fall back. */
const MAX_FAST_VARLONG_BYTES = 7;
const MAX_VARINT_SHIFT = 28;
const TWO_POW_7 = 128;
/** Marks a read that failed: the position after it is negative. */
const FAILED = -1;

/** The position after the last read, or FAILED. */
let next = 0;

/** Zig-zag varint (int32) at `at`, ending before `end`. */
function varintAt(buf: Buffer, at: number, end: number): number {
  let value = 0;
  for (let shift = 0, i = at; shift <= MAX_VARINT_SHIFT && i < end; shift += 7) {
    const b = buf[i++];
    value |= (b & 0x7f) << shift;
    if (b < 0x80) {
      next = i;
      return (value >>> 1) ^ -(value & 1);
    }
  }
  next = FAILED;
  return 0;
}

/** Zig-zag varlong of at most 7 bytes at `at`, ending before `end`. */
function varlongAt(buf: Buffer, at: number, end: number): number {
  let value = 0;
  let multiplier = 1;
  for (let n = 0, i = at; n < MAX_FAST_VARLONG_BYTES && i < end; n++) {
    const b = buf[i++];
    value += (b & 0x7f) * multiplier;
    if (b < 0x80) {
      next = i;
      return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    }
    multiplier *= TWO_POW_7;
  }
  next = FAILED;
  return 0;
}

/** A varint length then that many bytes as a view; -1 is null. */
function nullableAt(buf: Buffer, at: number, end: number): Buffer | null {
  const sizeBytes = varintAt(buf, at, end);
  const start = next;
  if (start === FAILED) return null;
  if (sizeBytes === -1) return null;
  if (sizeBytes < -1 || sizeBytes > end - start) {
    next = FAILED;
    return null;
  }
  next = start + sizeBytes;
  return buf.subarray(start, next);
}

/** A record's headers from `at` to at most `end`; sets `next` (FAILED on a bad header). */
function headersAt(buf: Buffer, at: number, end: number): RecordHeader[] {
  const headers: RecordHeader[] = [];
  const count = varintAt(buf, at, end);
  let position = next;
  if (position === FAILED || count < 0 || count * 2 > end - position) {
    next = FAILED;
    return headers;
  }
  for (let i = 0; i < count; i++) {
    const keySizeBytes = varintAt(buf, position, end);
    position = next;
    if (position === FAILED || keySizeBytes < 0 || keySizeBytes > end - position) {
      next = FAILED;
      return headers;
    }
    const key = buf.toString('utf8', position, position + keySizeBytes);
    const value = nullableAt(buf, position + keySizeBytes, end);
    position = next;
    if (position === FAILED) return headers;
    headers.push({ key, value });
  }
  next = position;
  return headers;
}

/** The batch's records, or undefined when the general reader must decide. */
export function readRecordsFast(bytes: Buffer, header: BatchHeader): DecodedRecord[] | undefined {
  const count = header.recordCount;
  const end = bytes.length;
  if (count > end / MIN_RECORD_SIZE_BYTES) return undefined;
  const { baseOffset, baseSequence } = header;
  const fixedTimestamp = header.timestampType === 'LogAppendTime' ? header.maxTimestamp : undefined;
  const records = new Array<DecodedRecord>(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const bodySizeBytes = varintAt(bytes, at, end);
    at = next;
    if (at === FAILED || bodySizeBytes < 1 || bodySizeBytes > end - at) return undefined;
    const recordEnd = at + bodySizeBytes;
    const timestampDelta = varlongAt(bytes, at + 1, recordEnd);
    if (next === FAILED) return undefined;
    const offsetDelta = varintAt(bytes, next, recordEnd);
    if (next === FAILED) return undefined;
    const key = nullableAt(bytes, next, recordEnd);
    if (next === FAILED) return undefined;
    const value = nullableAt(bytes, next, recordEnd);
    if (next === FAILED) return undefined;
    const headers = headersAt(bytes, next, recordEnd);
    if (next !== recordEnd) return undefined;
    at = recordEnd;
    const offset = baseOffset + offsetDelta;
    const timestamp = fixedTimestamp ?? header.baseTimestamp + timestampDelta;
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(timestamp)) return undefined;
    records[i] = { offset, timestamp, key, value, headers, offsetDelta, sequence: recordSequence(baseSequence, offsetDelta) };
  }
  return at === end ? records : undefined;
}
