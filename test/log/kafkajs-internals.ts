/**
 * kafkajs's own record batch codec (its internal modules), typed for the tests that
 * check both codecs read each other's bytes. Compression codecs for snappy, lz4 and
 * zstd are registered in kafkajs's CompressionCodecs using kafkaless's codecs.
 */
import { createRequire } from 'node:module';
import { codecFor, MAX_DECOMPRESSED_SIZE_BYTES, type CompressionType } from '../../lib/log/index.js';

const require = createRequire(import.meta.url);

export interface KafkajsLong {
  toString(): string;
}

interface KafkajsEncoder {
  buffer: Buffer;
}

export interface KafkajsRecordInput {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | Buffer[]>;
}

export interface KafkajsBatchInput {
  compression: number;
  firstOffset: KafkajsLong;
  firstTimestamp: number;
  maxTimestamp: number;
  partitionLeaderEpoch: number;
  lastOffsetDelta: number;
  transactional: boolean;
  producerId: KafkajsLong;
  producerEpoch: number;
  firstSequence: number;
  records: KafkajsEncoder[];
}

export interface KafkajsDecodedRecord {
  timestamp: string;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[] | null>;
  isControlRecord: boolean;
}

export interface KafkajsDecodedBatch {
  firstOffset: string;
  firstTimestamp: string;
  maxTimestamp: string;
  partitionLeaderEpoch: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  timestampType: number;
  records: KafkajsDecodedRecord[];
}

interface KafkajsCodec {
  compress(encoder: KafkajsEncoder): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

const Long = require('kafkajs/src/utils/long.js') as { fromValue(value: number | string): KafkajsLong };
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => unknown;
const recordEncoder = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (record: KafkajsRecordInput) => KafkajsEncoder;
const batchModule = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
  RecordBatch(input: KafkajsBatchInput): Promise<KafkajsEncoder>;
};
const batchDecoder = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (decoder: unknown) => Promise<KafkajsDecodedBatch>;
const compressionModule = require('kafkajs/src/protocol/message/compression/index.js') as {
  Types: Record<'None' | 'GZIP' | 'Snappy' | 'LZ4' | 'ZSTD', number>;
  Codecs: Record<number, () => KafkajsCodec>;
};

export const KAFKAJS_COMPRESSION: Readonly<Record<CompressionType, number>> = {
  none: compressionModule.Types.None,
  gzip: compressionModule.Types.GZIP,
  snappy: compressionModule.Types.Snappy,
  lz4: compressionModule.Types.LZ4,
  zstd: compressionModule.Types.ZSTD,
};

/** Codecs kafkajs lacks, registered the way its plugins (kafkajs-snappy, kafkajs-lz4, ...) are. */
export const CODECS_REGISTERED_IN_KAFKAJS: readonly CompressionType[] = ['snappy', 'lz4', 'zstd'];

for (const type of CODECS_REGISTERED_IN_KAFKAJS) {
  const codec = codecFor(type);
  compressionModule.Codecs[KAFKAJS_COMPRESSION[type]] = () => ({
    compress: (encoder) => codec.compress(encoder.buffer),
    decompress: (buffer) => codec.decompress(buffer, MAX_DECOMPRESSED_SIZE_BYTES),
  });
}

export function kafkajsLong(value: number): KafkajsLong {
  return Long.fromValue(value);
}

export function kafkajsRecord(record: KafkajsRecordInput): KafkajsEncoder {
  return recordEncoder(record);
}

export async function kafkajsEncodeBatch(input: KafkajsBatchInput): Promise<Buffer> {
  return (await batchModule.RecordBatch(input)).buffer;
}

export function kafkajsDecodeBatch(bytes: Buffer): Promise<KafkajsDecodedBatch> {
  return batchDecoder(new Decoder(bytes));
}
