/**
 * Gives @platformatic/kafka a zstd on Node 20: its own is node:zlib's, which
 * Node 20 lacks, so its compression table's zstd entry is pointed at the
 * WebAssembly zstd kafkaless uses (@bokuweb/zstd-wasm, level 3). Its batch
 * framing, attributes and wire handling stay its own. Call `initZstd()` from
 * lib/log first.
 */
import { compress as zstdCompress, decompress as zstdDecompress } from '@bokuweb/zstd-wasm';
import { compressionsAlgorithms } from '@platformatic/kafka';

const ZSTD_LEVEL = 3;

interface SyncCodec {
  compressSync(data: Buffer): Buffer;
  decompressSync(data: Buffer): Buffer;
  available: boolean;
}

export function registerPlatformaticZstd(): void {
  const zstd = compressionsAlgorithms.zstd as SyncCodec;
  zstd.compressSync = (data) => Buffer.from(zstdCompress(data, ZSTD_LEVEL));
  zstd.decompressSync = (data) => Buffer.from(zstdDecompress(data));
  zstd.available = true;
}
