import { describe, expect, it } from 'vitest';
import { KafkalessError } from '../../lib/errors.js';
import {
  CONTROL_RECORD_TYPES,
  decodeControlRecordType,
  decodeEndTransactionMarker,
  decodeRecordBatches,
  encodeControlRecordKey,
  encodeEndTransactionMarker,
  encodeRecordBatch,
  readBatchHeader,
  RECORD_BATCH_OVERHEAD,
  recordSizeBytes,
  type EncodeBatchOptions,
  type RecordInput,
} from '../../lib/log/index.js';

async function expectRejected(records: RecordInput[], options: EncodeBatchOptions, code: string): Promise<void> {
  const err: unknown = await encodeRecordBatch(records, options).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(KafkalessError);
  expect((err as KafkalessError).code).toBe(code);
}

describe('encodeRecordBatch', () => {
  it('sums recordSizeBytes and the overhead to the batch size', async () => {
    const records: RecordInput[] = [
      { key: Buffer.from('k'), value: Buffer.alloc(300), headers: [{ key: 'é', value: null }], timestamp: 10 },
      { key: null, value: null, timestamp: 2 ** 40 },
      { key: Buffer.alloc(0), value: Buffer.alloc(70_000), timestamp: 3 },
    ];
    const bytes = await encodeRecordBatch(records);
    const expected = records.reduce((sum, r, i) => sum + recordSizeBytes(r, i, r.timestamp - 10), RECORD_BATCH_OVERHEAD);
    expect(bytes.length).toBe(expected);
  });

  it('keeps null and empty keys, values and header values apart', async () => {
    const records: RecordInput[] = [
      { key: null, value: Buffer.alloc(0), headers: [{ key: '', value: null }, { key: 'e', value: Buffer.alloc(0) }], timestamp: 1 },
      { key: Buffer.alloc(0), value: null, timestamp: 1 },
    ];
    const [batch] = await decodeRecordBatches(await encodeRecordBatch(records));
    expect(batch?.records.map((r) => [r.key, r.value, r.headers])).toEqual([
      [null, Buffer.alloc(0), [{ key: '', value: null }, { key: 'e', value: Buffer.alloc(0) }]],
      [Buffer.alloc(0), null, []],
    ]);
  });

  it('writes LogAppendTime as maxTimestamp and gives every record that timestamp', async () => {
    const bytes = await encodeRecordBatch(
      [
        { key: null, value: null, timestamp: 100 },
        { key: null, value: null, timestamp: 50 },
      ],
      { timestampType: 'LogAppendTime', logAppendTime: 777 },
    );
    const [batch] = await decodeRecordBatches(bytes);
    expect(batch).toMatchObject({ attributes: 0x08, baseTimestamp: 100, maxTimestamp: 777, timestampType: 'LogAppendTime' });
    expect(batch?.records.map((r) => r.timestamp)).toEqual([777, 777]);
  });

  it('takes the first timestamp as base and the largest as max, deltas may be negative', async () => {
    const bytes = await encodeRecordBatch([
      { key: null, value: null, timestamp: 500 },
      { key: null, value: null, timestamp: 100 },
      { key: null, value: null, timestamp: 900 },
    ]);
    const [batch] = await decodeRecordBatches(bytes);
    expect(batch).toMatchObject({ baseTimestamp: 500, maxTimestamp: 900 });
    expect(batch?.records.map((r) => r.timestamp)).toEqual([500, 100, 900]);
  });

  it('encodes a transactional COMMIT control batch', async () => {
    const bytes = await encodeRecordBatch(
      [{ key: encodeControlRecordKey('COMMIT'), value: encodeEndTransactionMarker(17), timestamp: 5 }],
      { isControl: true, isTransactional: true, producerId: 9, producerEpoch: 1, baseOffset: 30 },
    );
    const [batch] = await decodeRecordBatches(bytes);
    expect(batch).toMatchObject({ attributes: 0x30, isControl: true, isTransactional: true });
    const control = batch?.records[0];
    expect(decodeControlRecordType(control?.key ?? null)).toBe(CONTROL_RECORD_TYPES.COMMIT);
    expect(decodeEndTransactionMarker(control?.value ?? null)).toEqual({ coordinatorEpoch: 17 });
    expect(encodeControlRecordKey('ABORT').toString('hex')).toBe('00000000');
  });

  it('keeps given offset deltas and lastOffsetDelta, as compaction needs', async () => {
    const bytes = await encodeRecordBatch(
      [
        { key: null, value: Buffer.from('x'), timestamp: 1, offsetDelta: 2 },
        { key: null, value: Buffer.from('y'), timestamp: 1, offsetDelta: 5 },
      ],
      { baseOffset: 10, lastOffsetDelta: 9, producerId: 4, producerEpoch: 0, baseSequence: 20 },
    );
    const [batch] = await decodeRecordBatches(bytes);
    expect(batch).toMatchObject({ lastOffsetDelta: 9, lastOffset: 19 });
    expect(batch?.records.map((r) => [r.offset, r.sequence])).toEqual([
      [12, 22],
      [15, 25],
    ]);
  });

  it('encodes an empty batch as a bare header, for every codec', async () => {
    for (const compression of ['none', 'gzip', 'zstd'] as const) {
      const bytes = await encodeRecordBatch([], { compression, lastOffsetDelta: 3 });
      expect(bytes.length).toBe(RECORD_BATCH_OVERHEAD);
      expect(readBatchHeader(bytes)).toMatchObject({ recordCount: 0, baseTimestamp: -1, maxTimestamp: -1, lastOffsetDelta: 3 });
      expect((await decodeRecordBatches(bytes))[0]?.records).toEqual([]);
    }
  });

  it('rejects records and options Kafka would not accept', async () => {
    const ok: RecordInput = { key: null, value: null, timestamp: 1 };
    await expectRejected([{ ...ok, timestamp: 1.5 }], {}, 'InvalidRecord');
    await expectRejected([{ ...ok, value: 'text' as unknown as Buffer }], {}, 'InvalidRecord');
    await expectRejected([{ ...ok, offsetDelta: 3 }, { ...ok, offsetDelta: 3 }], {}, 'InvalidRecord');
    await expectRejected([ok, { ...ok, timestamp: Number.MIN_SAFE_INTEGER }], {}, 'InvalidRecord');
    await expectRejected([ok], { timestampType: 'LogAppendTime' }, 'InvalidRequest');
    await expectRejected([ok], { producerEpoch: 40_000 }, 'InvalidRequest');
    await expectRejected([ok], { baseOffset: -1 }, 'InvalidRequest');
    await expectRejected([ok], { compression: 'brotli' as unknown as 'none' }, 'InvalidRequest');
    await expectRejected([ok, ok], { lastOffsetDelta: 0 }, 'InvalidRequest');
  });
});
