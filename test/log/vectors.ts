/** Kafka's known answers (test/fixtures/vectors/*.json, each naming its sources in `_meta`), typed. */
import { readFileSync } from 'node:fs';

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/vectors/${name}`, import.meta.url), 'utf8')) as T;
}

export interface Crc32cCase {
  input: string;
  inputEncoding: 'utf8' | 'hex';
  crc32c: number;
  length: number;
  source: string;
}

export interface VarintCase {
  value: number | string;
  hex: string;
}

export interface InvalidVarintCase {
  kind: 'varint' | 'varlong';
  hex: string;
  error: string;
}

export interface ExampleRecord {
  offset: number;
  timestamp: number;
  offsetDelta: number;
  timestampDelta: number;
  key: string;
  value: string;
  headers: [string, string][];
  sequence?: number;
  hex: string;
}

export interface ExampleBatch {
  name: string;
  batchHex: string;
  header: {
    baseOffset: number;
    batchLength: number;
    partitionLeaderEpoch: number;
    magic: number;
    crc: number;
    attributes: number;
    attributesDecoded: {
      compression: string;
      timestampType: string;
      isTransactional: boolean;
      isControl: boolean;
      hasDeleteHorizonMs: boolean;
    };
    lastOffsetDelta: number;
    baseTimestamp: number;
    maxTimestamp: number;
    producerId: number;
    producerEpoch: number;
    baseSequence: number;
    recordsCount: number;
    totalSizeBytes: number;
  };
  decompressedRecordsHex?: string;
  records: ExampleRecord[];
}

export const crc32cVectors = load<{ cases: Crc32cCase[] }>('crc32c.json').cases;
export const varintVectors = load<{
  unsignedVarint: VarintCase[];
  varint: VarintCase[];
  varlong: VarintCase[];
  invalid: InvalidVarintCase[];
}>('varint.json');
export const recordBatchExamples = load<{ examples: ExampleBatch[] }>('recordbatch-example.json').examples;
