import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBatchCrc, encodeRecordBatch, decodeRecordBatches, type CompressionType } from '../../lib/log/index.js';
import { expectCorruptAsync, expectDecodedOrCorrupt } from './expect-corrupt.js';

const COMPRESSIONS: readonly CompressionType[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
/** baseOffset (0-7) and partitionLeaderEpoch (12-15) are outside the CRC. */
const OUTSIDE_CRC = new Set([0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15]);
const CRC_START = 21;

async function sampleBatch(compression: CompressionType): Promise<Buffer> {
  return encodeRecordBatch(
    [
      { key: Buffer.from('key-1'), value: Buffer.from('value one, value one'), headers: [{ key: 'h', value: Buffer.from('v') }], timestamp: 1_700_000_000_000 },
      { key: null, value: Buffer.from('two'), headers: [{ key: 'n', value: null }], timestamp: 1_700_000_000_100 },
      { key: Buffer.alloc(0), value: null, timestamp: 1_699_999_999_000 },
    ],
    { compression, producerId: 5, producerEpoch: 1, baseSequence: 9 },
  );
}

function withCrc(bytes: Buffer): Buffer {
  if (bytes.length >= 61) bytes.writeUInt32BE(computeBatchCrc(bytes, 0, bytes.length), 17);
  return bytes;
}

describe('decoding damaged batches', () => {
  for (const compression of COMPRESSIONS) {
    it(`flipping any byte of a ${compression} batch gives a clean decode outside the CRC, else CorruptRecord`, async () => {
      const original = await sampleBatch(compression);
      for (let i = 0; i < original.length; i++) {
        const damaged = Buffer.from(original);
        damaged[i] = (damaged[i] as number) ^ 0xff;
        if (OUTSIDE_CRC.has(i)) expect(await expectDecodedOrCorrupt(decodeRecordBatches(damaged))).toBeDefined();
        else await expectCorruptAsync(decodeRecordBatches(damaged));
      }
    });

    it(`truncating a ${compression} batch anywhere gives CorruptRecord`, async () => {
      const original = await sampleBatch(compression);
      for (let length = 1; length < original.length; length++) {
        await expectCorruptAsync(decodeRecordBatches(original.subarray(0, length)));
      }
    });

    it(`any bytes changed in a ${compression} batch with its CRC fixed decode cleanly or give CorruptRecord`, async () => {
      const original = await sampleBatch(compression);
      const change = fc.tuple(fc.integer({ min: CRC_START, max: original.length - 1 }), fc.integer({ min: 0, max: 255 }));
      await fc.assert(
        fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 4 }), async (changes) => {
          const damaged = Buffer.from(original);
          for (const [position, value] of changes) damaged[position] = value;
          await expectDecodedOrCorrupt(decodeRecordBatches(withCrc(damaged)));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('random bytes after a valid header with a fixed CRC decode cleanly or give CorruptRecord', async () => {
    const header = (await sampleBatch('none')).subarray(0, 61);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), async (body, codec, count) => {
        const bytes = Buffer.concat([header, body]);
        bytes.writeInt32BE(bytes.length - 12, 8);
        bytes.writeInt16BE(codec, 21);
        bytes.writeInt32BE(count, 57);
        await expectDecodedOrCorrupt(decodeRecordBatches(withCrc(bytes)));
      }),
      { numRuns: 500 },
    );
  });

  it('a declared record length that disagrees with the fields is CorruptRecord', async () => {
    const bytes = await encodeRecordBatch([{ key: null, value: Buffer.from('abc'), timestamp: 0 }]);
    bytes[61] = (bytes[61] as number) + 2;
    await expectCorruptAsync(decodeRecordBatches(withCrc(bytes)));
  });

  it('a negative header count is CorruptRecord', async () => {
    const bytes = await encodeRecordBatch([{ key: null, value: null, timestamp: 0 }]);
    bytes[bytes.length - 1] = 0x01;
    await expectCorruptAsync(decodeRecordBatches(withCrc(bytes)));
  });

  it('a record count above the records present is CorruptRecord', async () => {
    const bytes = await encodeRecordBatch([{ key: null, value: null, timestamp: 0 }], { compression: 'gzip' });
    bytes.writeInt32BE(2, 57);
    await expectCorruptAsync(decodeRecordBatches(withCrc(bytes)));
  });
});
