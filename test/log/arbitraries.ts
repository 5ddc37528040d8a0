/** fast-check generators of records and batch options. */
import fc from 'fast-check';
import type { CompressionType, EncodeBatchOptions, RecordHeader, RecordInput } from '../../lib/log/index.js';

const bytes = (maxLength: number): fc.Arbitrary<Buffer> =>
  fc.uint8Array({ maxLength }).map((array) => Buffer.from(array));

const nullableBytes = (maxLength: number): fc.Arbitrary<Buffer | null> => fc.option(bytes(maxLength), { nil: null });

const header: fc.Arbitrary<RecordHeader> = fc.record({
  key: fc.string({ unit: 'binary', maxLength: 12 }),
  value: nullableBytes(16),
});

/** Timestamps whose pairwise differences stay safe integers, including values needing 8-byte varlongs. */
const timestamp = fc.oneof(
  fc.integer({ min: 1_500_000_000_000, max: 1_800_000_000_000 }),
  fc.integer({ min: -1, max: 2 ** 52 }),
);

export const recordArbitrary: fc.Arbitrary<RecordInput> = fc.record({
  key: nullableBytes(40),
  value: nullableBytes(300),
  headers: fc.array(header, { maxLength: 4 }),
  timestamp,
});

export const recordsArbitrary = fc.array(recordArbitrary, { minLength: 1, maxLength: 8 });

export const optionsArbitrary = (compression: CompressionType): fc.Arbitrary<EncodeBatchOptions> =>
  fc.record({
    compression: fc.constant(compression),
    baseOffset: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 53 - 2 ** 32 })),
    producerId: fc.integer({ min: -1, max: Number.MAX_SAFE_INTEGER }),
    producerEpoch: fc.integer({ min: -1, max: 32767 }),
    baseSequence: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 2147483647 })),
    isTransactional: fc.boolean(),
    isControl: fc.boolean(),
    partitionLeaderEpoch: fc.integer({ min: -1, max: 2147483647 }),
    timestampType: fc.constantFrom('CreateTime' as const, 'LogAppendTime' as const),
    logAppendTime: fc.integer({ min: 0, max: 2 ** 50 }),
  });
