import { describe, expect, it } from 'vitest';
import {
  decodeRecordBatches,
  encodeRecordBatch,
  type CompressionType,
  type DecodedBatch,
  type RecordInput,
} from '../../lib/log/index.js';
import {
  kafkajsDecodeBatch,
  kafkajsEncodeBatch,
  kafkajsLong,
  kafkajsRecord,
  KAFKAJS_COMPRESSION,
  type KafkajsBatchInput,
} from './kafkajs-internals.js';

const COMPRESSIONS: readonly CompressionType[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const BASE_TIMESTAMP = 1_700_000_000_000;

function sampleRecords(): RecordInput[] {
  return Array.from({ length: 5 }, (_, i) => ({
    key: i === 3 ? null : Buffer.from(`key-${i}`),
    value: i === 4 ? null : Buffer.from(`value-${i}-`.repeat(i * 20 + 1)),
    headers: i % 2 === 0 ? [{ key: `h${i}`, value: Buffer.from(`hv${i}`) }, { key: 'ünïcode', value: Buffer.alloc(0) }] : [],
    timestamp: BASE_TIMESTAMP + i * 7,
  }));
}

function kafkajsInput(records: RecordInput[], compression: CompressionType): KafkajsBatchInput {
  const firstTimestamp = records[0]?.timestamp ?? 0;
  return {
    compression: KAFKAJS_COMPRESSION[compression],
    firstOffset: kafkajsLong(1234),
    firstTimestamp,
    maxTimestamp: Math.max(...records.map((r) => r.timestamp)),
    partitionLeaderEpoch: 7,
    lastOffsetDelta: records.length - 1,
    transactional: true,
    producerId: kafkajsLong(98765),
    producerEpoch: 3,
    firstSequence: 2147483646,
    records: records.map((r, i) =>
      kafkajsRecord({
        offsetDelta: i,
        timestampDelta: r.timestamp - firstTimestamp,
        key: r.key,
        value: r.value,
        headers: Object.fromEntries((r.headers ?? []).map((h) => [h.key, h.value as Buffer])),
      }),
    ),
  };
}

const OUR_OPTIONS = {
  baseOffset: 1234,
  partitionLeaderEpoch: 7,
  isTransactional: true,
  producerId: 98765,
  producerEpoch: 3,
  baseSequence: 2147483646,
} as const;

function checkOurDecode(batch: DecodedBatch, records: RecordInput[]): void {
  expect(batch).toMatchObject({ ...OUR_OPTIONS, recordCount: records.length, lastOffset: 1234 + records.length - 1 });
  expect(batch.records.map((r) => r.sequence)).toEqual([2147483646, 2147483647, 0, 1, 2]);
  batch.records.forEach((record, i) => {
    const input = records[i] as RecordInput;
    expect(record.offset).toBe(1234 + i);
    expect(record.timestamp).toBe(input.timestamp);
    expect(record.key).toEqual(input.key);
    expect(record.value).toEqual(input.value);
    expect(record.headers).toEqual(input.headers);
  });
}

describe('compatibility with kafkajs', () => {
  for (const compression of COMPRESSIONS) {
    it(`decodes a ${compression} batch kafkajs encoded`, async () => {
      const records = sampleRecords();
      const bytes = await kafkajsEncodeBatch(kafkajsInput(records, compression));
      const [batch] = await decodeRecordBatches(bytes);
      expect(batch?.compression).toBe(compression);
      checkOurDecode(batch as DecodedBatch, records);
    });

    it(`writes the same ${compression} bytes as kafkajs for the same batch`, async () => {
      const records = sampleRecords();
      const theirs = await kafkajsEncodeBatch(kafkajsInput(records, compression));
      const ours = await encodeRecordBatch(records, { ...OUR_OPTIONS, compression });
      expect(ours.toString('hex')).toBe(theirs.toString('hex'));
    });

    it(`encodes a ${compression} batch kafkajs decodes`, async () => {
      const records = sampleRecords();
      const bytes = await encodeRecordBatch(records, { ...OUR_OPTIONS, compression });
      const batch = await kafkajsDecodeBatch(bytes);
      expect(batch).toMatchObject({
        firstOffset: '1234',
        firstTimestamp: String(BASE_TIMESTAMP),
        maxTimestamp: String(BASE_TIMESTAMP + 28),
        partitionLeaderEpoch: 7,
        inTransaction: true,
        isControlBatch: false,
        lastOffsetDelta: 4,
        producerId: '98765',
        producerEpoch: 3,
        firstSequence: 2147483646,
        timestampType: 0,
      });
      batch.records.forEach((record, i) => {
        const input = records[i] as RecordInput;
        expect(record.offset).toBe(String(1234 + i));
        expect(record.timestamp).toBe(String(input.timestamp));
        expect(record.key).toEqual(input.key);
        expect(record.value).toEqual(input.value);
        expect(record.headers).toEqual(Object.fromEntries((input.headers ?? []).map((h) => [h.key, h.value])));
      });
    });
  }

  it('encodes a LogAppendTime control batch kafkajs reads as such', async () => {
    const bytes = await encodeRecordBatch([{ key: Buffer.from([0, 0, 0, 1]), value: null, timestamp: 10 }], {
      timestampType: 'LogAppendTime',
      logAppendTime: 99,
      isControl: true,
      isTransactional: true,
      compression: 'gzip',
    });
    const batch = await kafkajsDecodeBatch(bytes);
    expect(batch).toMatchObject({ timestampType: 1, isControlBatch: true, inTransaction: true, maxTimestamp: '99' });
    expect(batch.records[0]?.timestamp).toBe('99');
    expect(batch.records[0]?.isControlRecord).toBe(true);
  });
});
