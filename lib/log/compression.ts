/**
 * The codec registry, by Kafka's compression id (attribute bits 0-2):
 * 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd.
 */
import type { CompressionCodec } from './compression-codec.js';
import { corruptRecord } from './corrupt-record.js';
import { gzipCodec } from './gzip-codec.js';
import { lz4Codec } from './lz4-codec.js';
import { COMPRESSION_IDS, type CompressionType } from './record-batch-types.js';
import { snappyCodec } from './snappy-codec.js';
import { zstdCodec } from './zstd-codec.js';

export type { CompressionCodec } from './compression-codec.js';

const noneCodec: CompressionCodec = {
  type: 'none',
  id: 0,
  compress: async (data) => data,
  decompress: async (data, maxSizeBytes) => {
    if (data.length > maxSizeBytes) throw new Error(`records exceed ${maxSizeBytes} bytes`);
    return data;
  },
};

const CODECS: Readonly<Record<CompressionType, CompressionCodec>> = {
  none: noneCodec,
  gzip: gzipCodec,
  snappy: snappyCodec,
  lz4: lz4Codec,
  zstd: zstdCodec,
};

const TYPES_BY_ID: readonly CompressionType[] = (Object.keys(COMPRESSION_IDS) as CompressionType[]).sort(
  (a, b) => COMPRESSION_IDS[a] - COMPRESSION_IDS[b],
);

export const COMPRESSION_TYPES: readonly CompressionType[] = TYPES_BY_ID;

export function isCompressionType(value: unknown): value is CompressionType {
  return typeof value === 'string' && Object.hasOwn(CODECS, value);
}

/** The compression type for a Kafka id, or undefined for an unknown id. */
export function compressionFromId(id: number): CompressionType | undefined {
  return TYPES_BY_ID[id];
}

export function codecFor(type: CompressionType): CompressionCodec {
  return CODECS[type];
}

export function compress(type: CompressionType, data: Buffer): Promise<Buffer> {
  return CODECS[type].compress(data);
}

/** Decompresses a batch's records; any failure, or output above the bound, is CorruptRecord. */
export async function decompress(type: CompressionType, data: Buffer, maxSizeBytes: number): Promise<Buffer> {
  let out: Buffer;
  try {
    out = await CODECS[type].decompress(data, maxSizeBytes);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw corruptRecord(`cannot decompress ${type} records: ${reason}`, { compression: type }, err);
  }
  if (out.length > maxSizeBytes) {
    throw corruptRecord(`decompressed ${type} records exceed ${maxSizeBytes} bytes`, { compression: type });
  }
  return out;
}
