import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  computeBatchCrc,
  decodeRecordBatches,
  encodeRecordBatch,
  readBatchHeader,
  splitBatches,
  verifyBatchCrc,
  type CompressionType,
  type DecodedBatch,
  type TimestampType,
} from '../../lib/log/index.js';
import { recordBatchExamples, type ExampleBatch } from './vectors.js';

const GZIP_OS_BYTE = 9;

function checkHeader(batch: DecodedBatch, example: ExampleBatch): void {
  const expected = example.header;
  expect(batch).toMatchObject({
    baseOffset: expected.baseOffset,
    batchLength: expected.batchLength,
    sizeBytes: expected.totalSizeBytes,
    partitionLeaderEpoch: expected.partitionLeaderEpoch,
    magic: expected.magic,
    crc: expected.crc,
    attributes: expected.attributes,
    compression: expected.attributesDecoded.compression,
    timestampType: expected.attributesDecoded.timestampType,
    isTransactional: expected.attributesDecoded.isTransactional,
    isControl: expected.attributesDecoded.isControl,
    hasDeleteHorizonMs: expected.attributesDecoded.hasDeleteHorizonMs,
    lastOffsetDelta: expected.lastOffsetDelta,
    baseTimestamp: expected.baseTimestamp,
    maxTimestamp: expected.maxTimestamp,
    producerId: expected.producerId,
    producerEpoch: expected.producerEpoch,
    baseSequence: expected.baseSequence,
    recordCount: expected.recordsCount,
  });
}

function checkRecords(batch: DecodedBatch, example: ExampleBatch): void {
  expect(batch.records).toHaveLength(example.records.length);
  example.records.forEach((expected, i) => {
    const record = batch.records[i];
    expect(record?.offset).toBe(expected.offset);
    expect(record?.offsetDelta).toBe(expected.offsetDelta);
    expect(record?.timestamp).toBe(expected.timestamp);
    expect(record?.key?.toString('utf8')).toBe(expected.key);
    expect(record?.value?.toString('utf8')).toBe(expected.value);
    expect(record?.headers.map((h) => [h.key, h.value?.toString('utf8')])).toEqual(expected.headers);
    expect(record?.sequence).toBe(expected.sequence ?? batch.baseSequence + i);
  });
}

async function reencode(batch: DecodedBatch): Promise<Buffer> {
  const appendTime = batch.timestampType === 'LogAppendTime';
  return encodeRecordBatch(
    batch.records.map((r) => ({
      key: r.key,
      value: r.value,
      headers: r.headers,
      timestamp: appendTime ? batch.baseTimestamp : r.timestamp,
    })),
    {
      baseOffset: batch.baseOffset,
      compression: batch.compression as CompressionType,
      timestampType: batch.timestampType as TimestampType,
      logAppendTime: batch.maxTimestamp,
      producerId: batch.producerId,
      producerEpoch: batch.producerEpoch,
      baseSequence: batch.baseSequence,
      partitionLeaderEpoch: batch.partitionLeaderEpoch,
    },
  );
}

describe("Kafka's example record batches", () => {
  for (const example of recordBatchExamples) {
    const bytes = Buffer.from(example.batchHex, 'hex');

    it(`decodes ${example.name}`, async () => {
      const batches = await decodeRecordBatches(bytes);
      expect(batches).toHaveLength(1);
      checkHeader(batches[0] as DecodedBatch, example);
      checkRecords(batches[0] as DecodedBatch, example);
    });

    it(`reads the header alone and verifies the CRC of ${example.name}`, () => {
      const header = readBatchHeader(bytes);
      expect(header.crc).toBe(example.header.crc);
      expect(header.recordCount).toBe(example.header.recordsCount);
      expect(() => verifyBatchCrc(bytes)).not.toThrow();
      expect(splitBatches(bytes)).toEqual([{ position: 0, sizeBytes: example.header.totalSizeBytes, header }]);
    });
  }

  it('re-encodes the uncompressed examples to identical bytes', async () => {
    for (const example of recordBatchExamples.filter((e) => e.header.attributesDecoded.compression === 'none')) {
      const bytes = Buffer.from(example.batchHex, 'hex');
      const [batch] = await decodeRecordBatches(bytes);
      const encoded = await reencode(batch as DecodedBatch);
      expect(encoded.toString('hex')).toBe(example.batchHex);
    }
  });

  it('re-encodes the gzip example to identical bytes but for the gzip OS byte', async () => {
    const example = recordBatchExamples.find((e) => e.header.attributesDecoded.compression === 'gzip') as ExampleBatch;
    const bytes = Buffer.from(example.batchHex, 'hex');
    const [batch] = await decodeRecordBatches(bytes);
    const encoded = await reencode(batch as DecodedBatch);
    expect(gunzipSync(encoded.subarray(61)).toString('hex')).toBe(example.decompressedRecordsHex);
    encoded[61 + GZIP_OS_BYTE] = bytes[61 + GZIP_OS_BYTE] as number;
    encoded.writeUInt32BE(computeBatchCrc(encoded, 0, encoded.length), 17);
    expect(encoded.toString('hex')).toBe(example.batchHex);
  });

  it('decodes all examples concatenated in one buffer', async () => {
    const all = Buffer.concat(recordBatchExamples.map((e) => Buffer.from(e.batchHex, 'hex')));
    const batches = await decodeRecordBatches(all);
    expect(batches.map((b) => b.recordCount)).toEqual(recordBatchExamples.map((e) => e.header.recordsCount));
    expect(splitBatches(all).map((b) => b.position)).toEqual([0, 217, 217 + 270]);
  });
});
