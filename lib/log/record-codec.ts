/**
 * One record inside a batch:
 *   length varint | attributes int8 (0) | timestampDelta varlong | offsetDelta varint
 *   | keyLength varint (-1 = null) | key | valueLength varint (-1 = null) | value
 *   | headerCount varint | headers: keyLength varint | key utf-8 | valueLength varint (-1 = null) | value
 * `length` counts everything after itself.
 */
import type { ByteReader } from './byte-reader.js';
import { corruptRecord } from './corrupt-record.js';
import type { RecordHeader, RecordInput } from './record-batch-types.js';
import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint.js';

/** A record's encoded parts, measured once so encoding allocates one buffer. */
export interface SizedRecord {
  record: RecordInput;
  offsetDelta: number;
  timestampDelta: number;
  /** Bytes after the length field. */
  bodySizeBytes: number;
  /** UTF-8 header keys, encoded once. */
  headerKeys: Buffer[];
}

function sizeOfNullable(bytes: Buffer | null): number {
  return bytes === null ? 1 : sizeOfVarint(bytes.length) + bytes.length;
}

function sizeOfHeaders(headers: RecordHeader[], headerKeys: Buffer[]): number {
  let sizeBytes = sizeOfVarint(headers.length);
  for (let i = 0; i < headers.length; i++) {
    const keyBytes = headerKeys[i].length;
    sizeBytes += sizeOfVarint(keyBytes) + keyBytes + sizeOfNullable(headers[i].value);
  }
  return sizeBytes;
}

export function sizeRecord(record: RecordInput, offsetDelta: number, timestampDelta: number): SizedRecord {
  const headers = record.headers ?? [];
  const headerKeys = headers.map((header) => Buffer.from(header.key, 'utf8'));
  const bodySizeBytes =
    1 +
    sizeOfVarlong(timestampDelta) +
    sizeOfVarint(offsetDelta) +
    sizeOfNullable(record.key) +
    sizeOfNullable(record.value) +
    sizeOfHeaders(headers, headerKeys);
  return { record, offsetDelta, timestampDelta, bodySizeBytes, headerKeys };
}

/** Encoded size of one record, length field included: for batching limits. */
export function recordSizeBytes(record: RecordInput, offsetDelta: number, timestampDelta: number): number {
  const { bodySizeBytes } = sizeRecord(record, offsetDelta, timestampDelta);
  return sizeOfVarint(bodySizeBytes) + bodySizeBytes;
}

export function sizedRecordBytes(sized: SizedRecord): number {
  return sizeOfVarint(sized.bodySizeBytes) + sized.bodySizeBytes;
}

function writeNullable(buf: Buffer, position: number, bytes: Buffer | null): number {
  if (bytes === null) return writeVarint(buf, position, -1);
  const at = writeVarint(buf, position, bytes.length);
  bytes.copy(buf, at);
  return at + bytes.length;
}

/** Writes a sized record at `position`; returns the position after it. */
export function writeRecord(buf: Buffer, position: number, sized: SizedRecord): number {
  let at = writeVarint(buf, position, sized.bodySizeBytes);
  buf[at++] = 0;
  at = writeVarlong(buf, at, sized.timestampDelta);
  at = writeVarint(buf, at, sized.offsetDelta);
  at = writeNullable(buf, at, sized.record.key);
  at = writeNullable(buf, at, sized.record.value);
  const headers = sized.record.headers ?? [];
  at = writeVarint(buf, at, headers.length);
  for (let i = 0; i < headers.length; i++) {
    at = writeNullable(buf, at, sized.headerKeys[i]);
    at = writeNullable(buf, at, headers[i].value);
  }
  return at;
}

/** A record as read, before batch context (offsets, timestamps) is applied. */
export interface RawRecord {
  timestampDelta: number;
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

function readHeaders(reader: ByteReader): RecordHeader[] {
  const count = reader.varint();
  if (count < 0) throw corruptRecord(`negative header count ${count}`, { field: 'headerCount' });
  if (count * 2 > reader.remaining) throw corruptRecord(`header count ${count} exceeds the record's bytes`, { field: 'headerCount' });
  const headers: RecordHeader[] = [];
  for (let i = 0; i < count; i++) {
    const keySizeBytes = reader.varint();
    if (keySizeBytes < 0) throw corruptRecord(`negative header key length ${keySizeBytes}`, { field: 'headerKey' });
    const key = reader.bytes(keySizeBytes, 'headerKey').toString('utf8');
    headers.push({ key, value: reader.nullableBytes('headerValue') });
  }
  return headers;
}

/** Reads one record; its declared length must be exactly the bytes its fields take. */
export function readRecord(reader: ByteReader): RawRecord {
  const bodySizeBytes = reader.varint();
  reader.ensure(bodySizeBytes, 'record');
  const outerEnd = reader.end;
  const recordEnd = reader.position + bodySizeBytes;
  reader.end = recordEnd;
  reader.int8();
  const timestampDelta = reader.varlong();
  const offsetDelta = reader.varint();
  const key = reader.nullableBytes('key');
  const value = reader.nullableBytes('value');
  const headers = readHeaders(reader);
  if (reader.position !== recordEnd) {
    throw corruptRecord(`record declares ${bodySizeBytes} bytes but its fields end ${recordEnd - reader.position} bytes early`, {
      field: 'record',
    });
  }
  reader.end = outerEnd;
  return { timestampDelta, offsetDelta, key, value, headers };
}
