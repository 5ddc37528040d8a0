import { describe, expect, it } from 'vitest';
import { KafkalessError } from '../../lib/errors.js';
import {
  decodeRecordBatches,
  encodeRecordBatch,
  incrementSequence,
  readBatchHeader,
  RECORD_BATCH_OVERHEAD,
  setBaseOffset,
  splitBatches,
  verifyBatchCrc,
} from '../../lib/log/index.js';
import { expectCorrupt, expectCorruptAsync } from './expect-corrupt.js';

const record = (value: string, timestamp = 1000) => ({ key: null, value: Buffer.from(value), timestamp });

describe('batch header', () => {
  it('reads the header of a batch without decoding its records', async () => {
    const bytes = await encodeRecordBatch([record('a', 5), record('b', 9), record('c', 7)], {
      baseOffset: 40,
      producerId: 12,
      producerEpoch: 2,
      baseSequence: 100,
    });
    expect(readBatchHeader(bytes)).toMatchObject({
      baseOffset: 40,
      lastOffsetDelta: 2,
      lastOffset: 42,
      baseTimestamp: 5,
      maxTimestamp: 9,
      producerId: 12,
      producerEpoch: 2,
      baseSequence: 100,
      recordCount: 3,
      sizeBytes: bytes.length,
      partitionLeaderEpoch: -1,
      magic: 2,
      attributes: 0,
    });
  });

  it('writes the defaults the Java client writes for a non-idempotent batch', async () => {
    const header = readBatchHeader(await encodeRecordBatch([record('a')]));
    expect(header).toMatchObject({ producerId: -1, producerEpoch: -1, baseSequence: -1, partitionLeaderEpoch: -1 });
    const [batch] = await decodeRecordBatches(await encodeRecordBatch([record('a'), record('b')]));
    expect(batch?.records.map((r) => r.sequence)).toEqual([-1, -1]);
  });

  it('refuses a buffer shorter than a header or with another magic', async () => {
    const bytes = await encodeRecordBatch([record('a')]);
    expectCorrupt(() => readBatchHeader(bytes.subarray(0, RECORD_BATCH_OVERHEAD - 1)));
    expectCorrupt(() => readBatchHeader(bytes, 1));
    const magic1 = Buffer.from(bytes);
    magic1[16] = 1;
    expectCorrupt(() => readBatchHeader(magic1));
  });

  it('refuses an unknown compression id and a negative record count', async () => {
    const bytes = await encodeRecordBatch([record('a')]);
    const codec5 = Buffer.from(bytes);
    codec5[22] = 5;
    expectCorrupt(() => readBatchHeader(codec5));
    const negative = Buffer.from(bytes);
    negative.writeInt32BE(-1, 57);
    expectCorrupt(() => readBatchHeader(negative));
  });

  it('refuses an int64 field outside the safe integer range', async () => {
    const bytes = await encodeRecordBatch([record('a')]);
    bytes.writeBigInt64BE(2n ** 60n, 0);
    expectCorrupt(() => readBatchHeader(bytes));
  });

  it('sets the base offset in place without breaking the CRC', async () => {
    const bytes = await encodeRecordBatch([record('a'), record('b')], { compression: 'gzip' });
    setBaseOffset(bytes, 2 ** 40);
    expect(() => verifyBatchCrc(bytes)).not.toThrow();
    const [batch] = await decodeRecordBatches(bytes);
    expect(batch?.records.map((r) => r.offset)).toEqual([2 ** 40, 2 ** 40 + 1]);
  });

  it('sets base offsets of batches inside a larger buffer', async () => {
    const all = Buffer.concat([await encodeRecordBatch([record('a')]), await encodeRecordBatch([record('b'), record('c')])]);
    for (const { position } of splitBatches(all)) setBaseOffset(all, 100 + position, position);
    const batches = await decodeRecordBatches(all);
    expect(batches.map((b) => b.baseOffset)).toEqual([100, 100 + (batches[0]?.sizeBytes ?? 0)]);
  });

  it('refuses to set a negative or unsafe base offset', async () => {
    const bytes = await encodeRecordBatch([record('a')]);
    for (const bad of [-1, 2 ** 53, 1.5]) {
      expect(() => setBaseOffset(bytes, bad)).toThrow(KafkalessError);
    }
  });

  it('detects a CRC mismatch', async () => {
    const bytes = await encodeRecordBatch([record('a')]);
    bytes[bytes.length - 2] = (bytes[bytes.length - 2] as number) ^ 1;
    expectCorrupt(() => verifyBatchCrc(bytes));
    await expectCorruptAsync(decodeRecordBatches(bytes));
  });

  it('splits concatenated batches and refuses a trailing partial batch', async () => {
    const one = await encodeRecordBatch([record('a')]);
    const two = await encodeRecordBatch([record('b'), record('c')], { compression: 'lz4' });
    const all = Buffer.concat([one, two]);
    expect(splitBatches(all).map((b) => [b.position, b.sizeBytes])).toEqual([
      [0, one.length],
      [one.length, two.length],
    ]);
    expectCorrupt(() => splitBatches(all.subarray(0, all.length - 1)));
    expectCorrupt(() => splitBatches(Buffer.concat([all, Buffer.alloc(10)])));
    expect(splitBatches(Buffer.alloc(0))).toEqual([]);
  });
});

describe('sequences', () => {
  it('wraps to 0 after Integer.MAX_VALUE, as incrementSequence does', () => {
    expect(incrementSequence(0, 5)).toBe(5);
    expect(incrementSequence(2147483647, 1)).toBe(0);
    expect(incrementSequence(2147483640, 10)).toBe(2);
  });

  it('gives each record its wrapped sequence', async () => {
    const bytes = await encodeRecordBatch([record('a'), record('b'), record('c')], {
      producerId: 1,
      producerEpoch: 0,
      baseSequence: 2147483646,
    });
    const [batch] = await decodeRecordBatches(bytes);
    expect(batch?.records.map((r) => r.sequence)).toEqual([2147483646, 2147483647, 0]);
  });
});
