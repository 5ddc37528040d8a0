/**
 * lz4 (id 3): the LZ4 frame format, written as Kafka's KafkaLZ4BlockOutputStream does:
 *   magic 0x184D2204 (LE) | FLG 0x60 (version 01, independent blocks) | BD 0x40 (64 KiB blocks)
 *   | HC = (xxh32(FLG..BD, 0) >> 8) & 0xff
 *   | blocks: size uint32le (high bit = stored uncompressed) | data | end mark uint32le 0.
 * The reader also accepts block/content checksums, a content size and other block sizes.
 */
import { compressBlock, compressBound } from 'lz4js';
import { hash as xxh32 } from 'lz4js/xxh32.js';
import { DecompressedSizeExceeded, type CompressionCodec } from './compression-codec.js';
import { decodeLz4Block } from './lz4-block.js';

const MAGIC = 0x184d2204;
const FLG_VERSION = 0x40;
const FLG_VERSION_MASK = 0xc0;
const FLG_BLOCK_INDEPENDENCE = 0x20;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_DICTIONARY_ID = 0x01;
const BD_64_KIB = 4 << 4;
const UNCOMPRESSED_BIT = 0x80000000;
const WRITE_BLOCK_BYTES = 64 * 1024;
const BLOCK_MAX_BYTES: Readonly<Record<number, number>> = { 4: 0x10000, 5: 0x40000, 6: 0x100000, 7: 0x400000 };

function headerChecksum(frame: Uint8Array, descriptorEnd: number): number {
  return (xxh32(0, frame, 4, descriptorEnd - 4) >>> 8) & 0xff;
}

export function compressLz4Frame(data: Buffer): Buffer {
  const blockCount = Math.ceil(data.length / WRITE_BLOCK_BYTES);
  const out = Buffer.alloc(7 + blockCount * (4 + WRITE_BLOCK_BYTES) + 4);
  out.writeUInt32LE(MAGIC, 0);
  out[4] = FLG_VERSION | FLG_BLOCK_INDEPENDENCE;
  out[5] = BD_64_KIB;
  out[6] = headerChecksum(out, 6);
  let at = 7;
  const scratch = new Uint8Array(compressBound(WRITE_BLOCK_BYTES));
  const hashTable = new Uint32Array(1 << 16);
  for (let start = 0; start < data.length; start += WRITE_BLOCK_BYTES) {
    const length = Math.min(WRITE_BLOCK_BYTES, data.length - start);
    hashTable.fill(0);
    const compressedBytes = compressBlock(data, scratch, start, length, hashTable);
    if (compressedBytes > 0 && compressedBytes < length) {
      out.writeUInt32LE(compressedBytes, at);
      out.set(scratch.subarray(0, compressedBytes), at + 4);
      at += 4 + compressedBytes;
    } else {
      out.writeUInt32LE((UNCOMPRESSED_BIT | length) >>> 0, at);
      data.copy(out, at + 4, start, start + length);
      at += 4 + length;
    }
  }
  out.writeUInt32LE(0, at);
  return out.subarray(0, at + 4);
}

interface FrameDescriptor {
  flags: number;
  blockMaxBytes: number;
  /** Position of the first block. */
  position: number;
}

function readDescriptor(src: Buffer): FrameDescriptor {
  if (src.length < 7 || src.readUInt32LE(0) !== MAGIC) throw new Error('lz4: bad frame magic');
  const flags = src[4];
  if ((flags & FLG_VERSION_MASK) !== FLG_VERSION) throw new Error('lz4: unsupported frame version');
  if ((flags & FLG_DICTIONARY_ID) !== 0) throw new Error('lz4: dictionaries are not supported');
  const blockMaxBytes = BLOCK_MAX_BYTES[(src[5] >>> 4) & 7];
  if (blockMaxBytes === undefined) throw new Error('lz4: bad block size');
  const descriptorEnd = (flags & FLG_CONTENT_SIZE) !== 0 ? 14 : 6;
  if (src.length < descriptorEnd + 1) throw new Error('lz4: truncated frame descriptor');
  if (src[descriptorEnd] !== headerChecksum(src, descriptorEnd)) throw new Error('lz4: frame descriptor checksum mismatch');
  return { flags, blockMaxBytes, position: descriptorEnd + 1 };
}

class GrowingOutput {
  buf: Buffer;
  length = 0;
  constructor(
    initialBytes: number,
    readonly maxSizeBytes: number,
  ) {
    this.buf = Buffer.allocUnsafe(Math.min(initialBytes, maxSizeBytes));
  }

  /** Makes room for `sizeBytes` more, up to the bound; returns the writable limit. */
  reserve(sizeBytes: number): number {
    const wanted = Math.min(this.length + sizeBytes, this.maxSizeBytes);
    if (wanted > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.min(this.maxSizeBytes, Math.max(wanted, this.buf.length * 2)));
      this.buf.copy(grown, 0, 0, this.length);
      this.buf = grown;
    }
    return wanted;
  }
}

function readBlock(src: Buffer, at: number, descriptor: FrameDescriptor, out: GrowingOutput): number {
  const size = src.readUInt32LE(at);
  const length = size & 0x7fffffff;
  const dataStart = at + 4;
  const checksumBytes = (descriptor.flags & FLG_BLOCK_CHECKSUM) !== 0 ? 4 : 0;
  if (length > descriptor.blockMaxBytes || length + checksumBytes > src.length - dataStart) {
    throw new Error('lz4: block out of bounds');
  }
  if (checksumBytes > 0 && xxh32(0, src, dataStart, length) !== src.readUInt32LE(dataStart + length)) {
    throw new Error('lz4: block checksum mismatch');
  }
  const limit = out.reserve(descriptor.blockMaxBytes);
  if ((size & UNCOMPRESSED_BIT) !== 0) {
    if (length > limit - out.length) throw new DecompressedSizeExceeded(out.maxSizeBytes);
    src.copy(out.buf, out.length, dataStart, dataStart + length);
    out.length += length;
  } else {
    out.length = decodeLz4Block(src, dataStart, dataStart + length, out.buf, out.length, limit);
  }
  return dataStart + length + checksumBytes;
}

export function decompressLz4Frame(src: Buffer, maxSizeBytes: number): Buffer {
  const descriptor = readDescriptor(src);
  const out = new GrowingOutput(Math.max(64 * 1024, src.length * 4), maxSizeBytes);
  let at = descriptor.position;
  for (;;) {
    if (src.length - at < 4) throw new Error('lz4: missing end mark');
    if (src.readUInt32LE(at) === 0) break;
    at = readBlock(src, at, descriptor, out);
  }
  at += 4;
  if ((descriptor.flags & FLG_CONTENT_CHECKSUM) !== 0) at += 4;
  if (at !== src.length) throw new Error('lz4: unexpected bytes after the frame');
  return out.buf.subarray(0, out.length);
}

export const lz4Codec: CompressionCodec = {
  type: 'lz4',
  id: 3,
  compress: async (data) => compressLz4Frame(data),
  decompress: async (data, maxSizeBytes) => decompressLz4Frame(data, maxSizeBytes),
};
