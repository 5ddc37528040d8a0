/**
 * snappy (id 2). Kafka's Java client writes xerial's SnappyOutputStream framing:
 *   magic 0x82 'SNAPPY' 0x00 | version int32 = 1 | compatible version int32 = 1
 *   then blocks: compressed length int32 (big-endian) | raw snappy block (32 KiB input each).
 * Readers accept that framing or a single raw snappy block (as xerial's reader does).
 */
import { compress as snappyCompress, uncompress as snappyUncompress } from 'snappyjs';
import { DecompressedSizeExceeded, type CompressionCodec } from './compression-codec.js';

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;
const XERIAL_VERSION = 1;
const XERIAL_COMPATIBLE_VERSION = 1;
const XERIAL_BLOCK_BYTES = 32 * 1024;

function xerialHeader(): Buffer {
  const header = Buffer.alloc(XERIAL_HEADER_BYTES);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(XERIAL_VERSION, 8);
  header.writeInt32BE(XERIAL_COMPATIBLE_VERSION, 12);
  return header;
}

export function compressXerial(data: Buffer): Buffer {
  const parts: Buffer[] = [xerialHeader()];
  for (let start = 0; start < data.length; start += XERIAL_BLOCK_BYTES) {
    const block = snappyCompress(data.subarray(start, start + XERIAL_BLOCK_BYTES));
    const length = Buffer.alloc(4);
    length.writeInt32BE(block.length, 0);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

function isXerial(data: Buffer): boolean {
  return data.length >= XERIAL_HEADER_BYTES && data.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC);
}

/**
 * snappyjs reads a literal's 4-byte length as a signed number, so a length
 * with its top bit set comes out negative, moves its read position backwards
 * and never ends. No valid block has such a literal (it would be 2 GiB and
 * more), so one is refused before snappyjs sees the block. The walk follows
 * the block's tags as snappyjs does, without copying anything.
 */
function refuseNegativeLiterals(data: Buffer): void {
  let pos = 0;
  while (pos < data.length && (data[pos]! & 0x80) !== 0) pos++; // the varint of the uncompressed length
  pos++;
  while (pos < data.length) {
    const tag = data[pos]!;
    pos++;
    switch (tag & 0x3) {
      case 0: {
        let length = (tag >>> 2) + 1;
        if (length > 60) {
          const lengthBytes = length - 60;
          if (pos + lengthBytes > data.length) return; // snappyjs refuses it itself
          if (lengthBytes === 4 && (data[pos + 3]! & 0x80) !== 0) throw new Error('snappy literal length out of range');
          length = data.readUIntLE(pos, lengthBytes) + 1;
          pos += lengthBytes;
        }
        pos += length;
        break;
      }
      case 1:
        pos += 1;
        break;
      case 2:
        pos += 2;
        break;
      default:
        pos += 4;
    }
  }
}

function uncompressRaw(data: Buffer, maxSizeBytes: number): Buffer {
  refuseNegativeLiterals(data);
  try {
    return snappyUncompress(data, maxSizeBytes);
  } catch (err) {
    if (err instanceof Error && err.message.includes('too big')) throw new DecompressedSizeExceeded(maxSizeBytes);
    throw err;
  }
}

export function decompressXerial(data: Buffer, maxSizeBytes: number): Buffer {
  const blocks: Buffer[] = [];
  let totalBytes = 0;
  let position = XERIAL_HEADER_BYTES;
  while (position < data.length) {
    if (data.length - position < 4) throw new Error('truncated xerial block length');
    const length = data.readInt32BE(position);
    position += 4;
    if (length < 0 || length > data.length - position) throw new Error(`bad xerial block length ${length}`);
    const block = uncompressRaw(data.subarray(position, position + length), maxSizeBytes - totalBytes);
    position += length;
    totalBytes += block.length;
    blocks.push(block);
  }
  return Buffer.concat(blocks, totalBytes);
}

export const snappyCodec: CompressionCodec = {
  type: 'snappy',
  id: 2,
  compress: async (data) => compressXerial(data),
  decompress: async (data, maxSizeBytes) =>
    isXerial(data) ? decompressXerial(data, maxSizeBytes) : uncompressRaw(data, maxSizeBytes),
};
