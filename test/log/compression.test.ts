import { gzipSync } from 'node:zlib';
import { compress as lz4jsCompress } from 'lz4js';
import { compress as snappyCompress } from 'snappyjs';
import { describe, expect, it } from 'vitest';
import {
  codecFor,
  computeBatchCrc,
  compressionFromId,
  COMPRESSION_TYPES,
  decodeRecordBatches,
  decompress,
  encodeRecordBatch,
  type CompressionType,
} from '../../lib/log/index.js';
import { zstdFrameContentSize } from '../../lib/log/zstd-codec.js';
import { expectCorruptAsync } from './expect-corrupt.js';

const XERIAL_HEADER_HEX = '82534e41505059000000000100000001';
const KAFKA_LZ4_FRAME_HEADER_HEX = '04224d18604082';
const ONE_MIB = 1024 * 1024;
const COMPRESSED_TYPES: readonly CompressionType[] = ['gzip', 'snappy', 'lz4', 'zstd'];

function sampleBytes(sizeBytes: number): Buffer {
  const bytes = Buffer.alloc(sizeBytes);
  for (let i = 0; i < sizeBytes; i++) bytes[i] = (i * 31 + (i >> 7)) % 251;
  return bytes;
}

/** Rewrites a single-segment zstd frame header to declare no content size, as a streaming writer does. */
function stripZstdContentSize(frame: Buffer): Buffer {
  const descriptor = frame[4] as number;
  expect(descriptor & 0x20).toBe(0x20);
  const flag = descriptor >>> 6;
  const sizeBytes = flag === 0 ? 1 : [0, 2, 4, 8][flag];
  const windowDescriptor2MiB = 11 << 3;
  const header = Buffer.from([frame[0], frame[1], frame[2], frame[3], descriptor & 0x1f, windowDescriptor2MiB] as number[]);
  return Buffer.concat([header, frame.subarray(5 + (sizeBytes as number))]);
}

describe('compression codecs', () => {
  it('maps Kafka ids 0-4 to codecs and knows no others', () => {
    expect(COMPRESSION_TYPES).toEqual(['none', 'gzip', 'snappy', 'lz4', 'zstd']);
    COMPRESSION_TYPES.forEach((type, id) => expect(codecFor(type).id).toBe(id));
    expect(compressionFromId(5)).toBeUndefined();
  });

  for (const type of COMPRESSION_TYPES) {
    it(`round-trips 300 KiB through ${type}`, async () => {
      const data = sampleBytes(300 * 1024);
      const codec = codecFor(type);
      expect((await codec.decompress(await codec.compress(data), ONE_MIB)).equals(data)).toBe(true);
    });

    it(`refuses ${type} output above the bound as CorruptRecord`, async () => {
      const data = Buffer.alloc(2 * ONE_MIB, 7);
      const compressed = await codecFor(type).compress(data);
      await expectCorruptAsync(decompress(type, compressed, ONE_MIB));
    });

  }

  for (const type of COMPRESSED_TYPES) {
    it(`turns garbage ${type} input into CorruptRecord`, async () => {
      await expectCorruptAsync(decompress(type, Buffer.from('definitely not compressed data'), ONE_MIB));
    });
  }

  it('writes snappy in xerial framing with 32 KiB blocks, as the Java client does', async () => {
    const data = sampleBytes(70 * 1024);
    const framed = await codecFor('snappy').compress(data);
    expect(framed.subarray(0, 16).toString('hex')).toBe(XERIAL_HEADER_HEX);
    let position = 16;
    let blocks = 0;
    while (position < framed.length) {
      position += 4 + framed.readInt32BE(position);
      blocks++;
    }
    expect(position).toBe(framed.length);
    expect(blocks).toBe(3);
  });

  it('reads raw snappy as well as xerial-framed snappy', async () => {
    const data = sampleBytes(50 * 1024);
    expect((await decompress('snappy', snappyCompress(data), ONE_MIB)).equals(data)).toBe(true);
  });

  it('refuses a snappy literal whose 4-byte length has its top bit set (snappyjs would loop on it), raw and in xerial framing', async () => {
    // Uncompressed length 16, then a literal tag (63 << 2) whose length comes in 4 bytes: 0x80000000.
    const block = Buffer.from([0x10, 0xfc, 0x00, 0x00, 0x00, 0x80, 0x00]);
    await expect(decompress('snappy', block, ONE_MIB)).rejects.toThrow(/snappy literal length out of range/);
    const length = Buffer.alloc(4);
    length.writeInt32BE(block.length, 0);
    const xerial = Buffer.concat([Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]), length, block]);
    await expect(decompress('snappy', xerial, ONE_MIB)).rejects.toThrow(/snappy literal length out of range/);
  });

  it("writes the lz4 frame header Kafka writes (64 KiB independent blocks) and ends with an end mark", async () => {
    const framed = await codecFor('lz4').compress(sampleBytes(200 * 1024));
    expect(framed.subarray(0, 7).toString('hex')).toBe(KAFKA_LZ4_FRAME_HEADER_HEX);
    expect(framed.readUInt32LE(framed.length - 4)).toBe(0);
  });

  it('reads lz4 frames written by lz4js (4 MiB linked blocks)', async () => {
    const data = sampleBytes(300 * 1024);
    const framed = Buffer.from(lz4jsCompress(data));
    expect((await decompress('lz4', framed, ONE_MIB)).equals(data)).toBe(true);
  });

  it('rejects an lz4 frame whose descriptor checksum is wrong', async () => {
    const framed = await codecFor('lz4').compress(sampleBytes(1000));
    framed[6] = (framed[6] as number) ^ 0xff;
    await expectCorruptAsync(decompress('lz4', framed, ONE_MIB));
  });

  it('reads a zstd frame that does not declare its content size', async () => {
    const data = sampleBytes(900 * 1024);
    const streamed = stripZstdContentSize(await codecFor('zstd').compress(data));
    expect(zstdFrameContentSize(streamed)).toBeUndefined();
    expect((await decompress('zstd', streamed, 4 * ONE_MIB)).equals(data)).toBe(true);
  });

  it('refuses a zstd frame declaring more than the bound before decompressing it', async () => {
    const framed = await codecFor('zstd').compress(Buffer.alloc(2 * ONE_MIB));
    await expectCorruptAsync(decompress('zstd', framed, ONE_MIB));
  });

  it('decodes a batch whose gzip stream holds two members', async () => {
    const records = [
      { key: null, value: Buffer.from('one'), timestamp: 5 },
      { key: null, value: Buffer.from('two'), timestamp: 6 },
    ];
    const plain = await encodeRecordBatch(records);
    const recordBytes = plain.subarray(61);
    const half = recordBytes.length / 2;
    const twoMembers = Buffer.concat([gzipSync(recordBytes.subarray(0, half)), gzipSync(recordBytes.subarray(half))]);
    const batch = Buffer.concat([plain.subarray(0, 61), twoMembers]);
    batch.writeInt32BE(batch.length - 12, 8);
    batch.writeInt16BE(1, 21);
    batch.writeUInt32BE(computeBatchCrc(batch, 0, batch.length), 17);
    const [decoded] = await decodeRecordBatches(batch);
    expect(decoded?.records.map((r) => r.value?.toString())).toEqual(['one', 'two']);
  });

  for (const type of COMPRESSED_TYPES) {
    it(`refuses a ${type} batch that inflates past maxDecompressedSizeBytes`, async () => {
      const bytes = await encodeRecordBatch([{ key: null, value: Buffer.alloc(2 * ONE_MIB), timestamp: 0 }], { compression: type });
      await expectCorruptAsync(decodeRecordBatches(bytes, { maxDecompressedSizeBytes: ONE_MIB }));
      const [batch] = await decodeRecordBatches(bytes, { maxDecompressedSizeBytes: 4 * ONE_MIB });
      expect(batch?.records[0]?.value?.length).toBe(2 * ONE_MIB);
    });
  }
});
