/**
 * zstd (id 4) through @bokuweb/zstd-wasm (level 3, Kafka's default). The WASM module
 * is initialised once, on first use.
 *
 * The package allocates its output from the frame's declared content size, or from a
 * caller's guess when the frame has none (Kafka's streaming writer leaves it out). The
 * frame header is therefore read here first, so a declared size above the bound is
 * refused before any allocation, and an unknown size is found by growing guesses.
 */
import { compress as zstdCompress, decompress as zstdDecompress, init as zstdInit } from '@bokuweb/zstd-wasm';
import { DecompressedSizeExceeded, type CompressionCodec } from './compression-codec.js';

const ZSTD_MAGIC = 0xfd2fb528;
const KAFKA_DEFAULT_LEVEL = 3;
const FIRST_GUESS_MIN_BYTES = 128 * 1024;
const GUESS_GROWTH = 4;
const DICTIONARY_ID_BYTES = [0, 1, 2, 4] as const;
const CONTENT_SIZE_BYTES = [0, 2, 4, 8] as const;

let ready: Promise<void> | undefined;

/** Loads the WASM module once; every zstd call awaits it. */
export function initZstd(): Promise<void> {
  ready ??= zstdInit().catch((err: unknown) => {
    ready = undefined;
    throw err;
  });
  return ready;
}

function readContentSize(src: Buffer, at: number, sizeBytes: number): number {
  if (sizeBytes === 1) return src[at];
  if (sizeBytes === 2) return src.readUInt16LE(at) + 256;
  if (sizeBytes === 4) return src.readUInt32LE(at);
  return src.readUInt32LE(at) + src.readUInt32LE(at + 4) * 2 ** 32;
}

/** The frame's declared content size, or undefined when it declares none (RFC 8878 §3.1.1.1). */
export function zstdFrameContentSize(src: Buffer): number | undefined {
  if (src.length < 6 || src.readUInt32LE(0) !== ZSTD_MAGIC) throw new Error('zstd: bad frame magic');
  const descriptor = src[4];
  if ((descriptor & 0x08) !== 0) throw new Error('zstd: reserved frame header bit set');
  const singleSegment = (descriptor & 0x20) !== 0;
  const flag = descriptor >>> 6;
  const sizeBytes = flag === 0 ? (singleSegment ? 1 : 0) : CONTENT_SIZE_BYTES[flag];
  const at = 5 + (singleSegment ? 0 : 1) + DICTIONARY_ID_BYTES[descriptor & 3];
  if (src.length < at + sizeBytes) throw new Error('zstd: truncated frame header');
  return sizeBytes === 0 ? undefined : readContentSize(src, at, sizeBytes);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function decompressGuessing(src: Buffer, maxSizeBytes: number): Buffer {
  let guessBytes = Math.min(maxSizeBytes, Math.max(FIRST_GUESS_MIN_BYTES, src.length * GUESS_GROWTH));
  for (;;) {
    try {
      return asBuffer(zstdDecompress(src, { defaultHeapSize: guessBytes }));
    } catch (err) {
      if (guessBytes >= maxSizeBytes) throw err;
      guessBytes = Math.min(maxSizeBytes, guessBytes * GUESS_GROWTH);
    }
  }
}

export async function decompressZstd(src: Buffer, maxSizeBytes: number): Promise<Buffer> {
  const contentSizeBytes = zstdFrameContentSize(src);
  if (contentSizeBytes !== undefined && contentSizeBytes > maxSizeBytes) throw new DecompressedSizeExceeded(maxSizeBytes);
  await initZstd();
  if (contentSizeBytes === 0) return Buffer.alloc(0);
  if (contentSizeBytes !== undefined) return asBuffer(zstdDecompress(src));
  return decompressGuessing(src, maxSizeBytes);
}

export const zstdCodec: CompressionCodec = {
  type: 'zstd',
  id: 4,
  compress: async (data) => {
    await initZstd();
    return asBuffer(zstdCompress(data, KAFKA_DEFAULT_LEVEL));
  },
  decompress: decompressZstd,
};
