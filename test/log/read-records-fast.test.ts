import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRecordsChecked } from '../../lib/log/decode-record-batches.js';
import { encodeRecordBatch, readBatchHeader, RECORD_BATCH_OVERHEAD, type BatchHeader, type DecodedRecord } from '../../lib/log/index.js';
import { readRecordsFast } from '../../lib/log/read-records-fast.js';
import { optionsArbitrary, recordsArbitrary } from './arbitraries.js';
import { recordBatchExamples } from './vectors.js';

function generalOrError(bytes: Buffer, header: BatchHeader): DecodedRecord[] | Error {
  try {
    return readRecordsChecked(bytes, header);
  } catch (err) {
    return err as Error;
  }
}

/** The fast reader builds what the general one builds, and declines whatever the general one rejects. */
function expectSameAsGeneral(bytes: Buffer, header: BatchHeader): 'fast' | 'declined' {
  const fast = readRecordsFast(bytes, header);
  const general = generalOrError(bytes, header);
  if (general instanceof Error) {
    expect(general).toMatchObject({ code: 'CorruptRecord' });
    expect(fast).toBeUndefined();
  }
  if (fast === undefined) return 'declined';
  expect(fast).toEqual(general);
  return 'fast';
}

describe('the fast record reader', () => {
  it("reads Kafka's example batches as the general reader does", () => {
    for (const example of recordBatchExamples) {
      const bytes = Buffer.from(example.batchHex, 'hex');
      const header = readBatchHeader(bytes);
      const records = example.decompressedRecordsHex === undefined ? bytes.subarray(RECORD_BATCH_OVERHEAD) : Buffer.from(example.decompressedRecordsHex, 'hex');
      expect(expectSameAsGeneral(records, header)).toBe('fast');
    }
  });

  it('reads any encoded batch as the general reader does', async () => {
    await fc.assert(
      fc.asyncProperty(recordsArbitrary, optionsArbitrary('none'), async (records, options) => {
        const bytes = await encodeRecordBatch(records, options);
        expectSameAsGeneral(bytes.subarray(RECORD_BATCH_OVERHEAD), readBatchHeader(bytes));
      }),
      { numRuns: 200 },
    );
  });

  it('declines whatever damaged records the general reader rejects', async () => {
    const original = await encodeRecordBatch(
      [
        { key: Buffer.from('key-1'), value: Buffer.from('value one'), headers: [{ key: 'h', value: Buffer.from('v') }], timestamp: 1_700_000_000_000 },
        { key: null, value: Buffer.from('two'), headers: [{ key: 'n', value: null }], timestamp: 1_700_000_000_100 },
        { key: Buffer.alloc(0), value: null, timestamp: 1_699_999_999_000 },
      ],
      { baseSequence: 9 },
    );
    const header = readBatchHeader(original);
    const outcomes = new Set<string>();
    const change = fc.tuple(fc.integer({ min: RECORD_BATCH_OVERHEAD, max: original.length - 1 }), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 4 }), fc.integer({ min: RECORD_BATCH_OVERHEAD, max: original.length }), (changes, length) => {
        const damaged = Buffer.from(original.subarray(0, length));
        for (const [position, value] of changes) if (position < length) damaged[position] = value;
        outcomes.add(expectSameAsGeneral(damaged.subarray(RECORD_BATCH_OVERHEAD), header));
      }),
      { numRuns: 2000 },
    );
    expect([...outcomes].sort()).toEqual(['declined', 'fast']);
  });
});
