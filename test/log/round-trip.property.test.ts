import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeRecordBatches,
  encodeRecordBatch,
  incrementSequence,
  type CompressionType,
  type DecodedBatch,
  type EncodeBatchOptions,
  type RecordInput,
} from '../../lib/log/index.js';
import { optionsArbitrary, recordsArbitrary } from './arbitraries.js';

const COMPRESSIONS: readonly CompressionType[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const RUNS_PER_CODEC = 60;

function checkRoundTrip(batch: DecodedBatch, records: RecordInput[], options: EncodeBatchOptions): void {
  const baseOffset = options.baseOffset ?? 0;
  const appendTime = options.timestampType === 'LogAppendTime';
  expect(batch).toMatchObject({
    baseOffset,
    compression: options.compression,
    producerId: options.producerId,
    producerEpoch: options.producerEpoch,
    baseSequence: options.baseSequence,
    isTransactional: options.isTransactional,
    isControl: options.isControl,
    partitionLeaderEpoch: options.partitionLeaderEpoch,
    timestampType: options.timestampType,
    recordCount: records.length,
    lastOffsetDelta: records.length - 1,
  });
  records.forEach((input, i) => {
    const record = batch.records[i];
    const sequence = (options.baseSequence ?? -1) < 0 ? -1 : incrementSequence(options.baseSequence ?? 0, i);
    expect(record).toEqual({
      offset: baseOffset + i,
      offsetDelta: i,
      timestamp: appendTime ? options.logAppendTime : input.timestamp,
      key: input.key,
      value: input.value,
      headers: input.headers,
      sequence,
    });
  });
}

describe('encode then decode', () => {
  for (const compression of COMPRESSIONS) {
    it(`gives back any records and batch fields with ${compression}`, async () => {
      await fc.assert(
        fc.asyncProperty(recordsArbitrary, optionsArbitrary(compression), async (records, options) => {
          const bytes = await encodeRecordBatch(records, options);
          const batches = await decodeRecordBatches(bytes);
          expect(batches).toHaveLength(1);
          checkRoundTrip(batches[0] as DecodedBatch, records, options);
        }),
        { numRuns: RUNS_PER_CODEC },
      );
    });
  }

  it('gives back several batches of mixed codecs concatenated', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(recordsArbitrary, fc.constantFrom(...COMPRESSIONS)), { minLength: 1, maxLength: 4 }), async (parts) => {
        const encoded = await Promise.all(parts.map(([records, compression]) => encodeRecordBatch(records, { compression })));
        const batches = await decodeRecordBatches(Buffer.concat(encoded));
        expect(batches.map((b) => b.records.map((r) => r.value))).toEqual(parts.map(([records]) => records.map((r) => r.value)));
      }),
      { numRuns: 30 },
    );
  });
});
