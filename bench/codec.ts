/**
 * Record batch codec benchmark: kafkaless against kafkajs's and
 * @platformatic/kafka's own codecs.
 *
 * Encodes and decodes batches of 100 records with 1 KiB values (text-like, so
 * compressible), uncompressed, gzip and zstd. kafkajs has no zstd codec of its
 * own, and @platformatic/kafka's uses node:zlib's zstd, which Node 20 lacks:
 * for zstd, both are given the same WebAssembly zstd kafkaless uses
 * (@bokuweb/zstd-wasm, level 3), registered in kafkajs's CompressionCodecs (as
 * a kafkajs plugin would be) and in @platformatic/kafka's compression table,
 * so that row compares the batch codecs around the same compressor. MB/s
 * counts uncompressed record bytes. Run: `npx tsx bench/codec.ts [iterations]`.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { createRecordsBatch, Reader, readRecordsBatches } from '@platformatic/kafka';
import {
  codecFor,
  decodeRecordBatches,
  encodeRecordBatch,
  initZstd,
  MAX_DECOMPRESSED_SIZE_BYTES,
  type CompressionType,
  type RecordInput,
} from '../lib/log/index.js';
import { registerPlatformaticZstd } from '../test/support/platformatic-zstd.js';

const RECORDS_PER_BATCH = 100;
const VALUE_BYTES = 1024;
const DEFAULT_ITERATIONS = 200;
const ROUNDS = 3;
const WARMUP_MIN_RUNS = 20;
const BENCH_COMPRESSIONS: readonly CompressionType[] = ['none', 'gzip', 'zstd'];
const KAFKAJS_COMPRESSION_IDS: Readonly<Record<CompressionType, number>> = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };

interface KafkajsEncoder {
  buffer: Buffer;
}

interface PeerCodec {
  encode(records: RecordInput[], compression: CompressionType): Promise<Buffer>;
  decode(bytes: Buffer): Promise<unknown>;
}

type KafkajsApi = PeerCodec;

/** @platformatic/kafka's batch codec (`createRecordsBatch`, `readRecordsBatches`), synchronous. */
function loadPlatformatic(): PeerCodec {
  registerPlatformaticZstd();
  return {
    encode: async (records, compression) =>
      createRecordsBatch(
        records.map((r) => ({ topic: 'bench', partition: 0, key: r.key ?? undefined, value: r.value ?? Buffer.alloc(0), headers: new Map<Buffer, Buffer>(), timestamp: BigInt(r.timestamp) })),
        { compression },
      ).buffer,
    decode: async (bytes) => readRecordsBatches(Reader.from(bytes)),
  };
}

function loadKafkajs(): KafkajsApi {
  const require = createRequire(import.meta.url);
  const Long = require('kafkajs/src/utils/long.js') as { fromValue(value: number): unknown };
  const Decoder = require('kafkajs/src/protocol/decoder.js') as new (bytes: Buffer) => unknown;
  const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (record: object) => KafkajsEncoder;
  const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
    RecordBatch(input: object): Promise<KafkajsEncoder>;
  };
  const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (decoder: unknown) => Promise<unknown>;
  const { Codecs } = require('kafkajs/src/protocol/message/compression/index.js') as {
    Codecs: Record<number, () => { compress(e: KafkajsEncoder): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> }>;
  };
  const zstd = codecFor('zstd');
  Codecs[KAFKAJS_COMPRESSION_IDS.zstd] = () => ({
    compress: (encoder) => zstd.compress(encoder.buffer),
    decompress: (bytes) => zstd.decompress(bytes, MAX_DECOMPRESSED_SIZE_BYTES),
  });
  return {
    async encode(records, compression) {
      const firstTimestamp = records[0]?.timestamp ?? 0;
      const batch = await RecordBatch({
        compression: KAFKAJS_COMPRESSION_IDS[compression],
        firstOffset: Long.fromValue(0),
        firstTimestamp,
        maxTimestamp: Math.max(...records.map((r) => r.timestamp)),
        lastOffsetDelta: records.length - 1,
        records: records.map((r, i) =>
          Record({ offsetDelta: i, timestampDelta: r.timestamp - firstTimestamp, key: r.key, value: r.value, headers: {} }),
        ),
      });
      return batch.buffer;
    },
    decode: (bytes) => decodeBatch(new Decoder(bytes)),
  };
}

function sampleRecords(): RecordInput[] {
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
  let seed = 42;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
  return Array.from({ length: RECORDS_PER_BATCH }, (_, i) => {
    let text = '';
    while (text.length < VALUE_BYTES) text += `${words[next() % words.length]}:${next() % 100000} `;
    return {
      key: Buffer.from(`key-${i}`),
      value: Buffer.from(text.slice(0, VALUE_BYTES)),
      headers: [],
      timestamp: 1_700_000_000_000 + i,
    };
  });
}

type Library = 'kafkaless' | 'kafkajs' | 'platformatic';

interface Measurement {
  compression: CompressionType;
  operation: 'encode' | 'decode';
  library: Library;
  recordsPerSecond: number;
  megabytesPerSecond: number;
}

/** Seconds for `iterations` runs: the fastest of ROUNDS rounds, after a warm-up. */
async function timeIt(iterations: number, run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.max(WARMUP_MIN_RUNS, Math.floor(iterations / 5)); i++) await run();
  let fastestSeconds = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await run();
    fastestSeconds = Math.min(fastestSeconds, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return fastestSeconds;
}

async function measure(iterations: number, records: RecordInput[], payloadBytes: number, kafkajs: KafkajsApi, platformatic: PeerCodec): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (const compression of BENCH_COMPRESSIONS) {
    const ours = await encodeRecordBatch(records, { compression });
    const theirs = await kafkajs.encode(records, compression);
    await decodeRecordBatches(await platformatic.encode(records, compression));
    const cases = [
      { library: 'kafkaless', operation: 'encode', run: () => encodeRecordBatch(records, { compression }) },
      { library: 'kafkajs', operation: 'encode', run: () => kafkajs.encode(records, compression) },
      { library: 'platformatic', operation: 'encode', run: () => platformatic.encode(records, compression) },
      { library: 'kafkaless', operation: 'decode', run: () => decodeRecordBatches(theirs) },
      { library: 'kafkajs', operation: 'decode', run: () => kafkajs.decode(ours) },
      { library: 'platformatic', operation: 'decode', run: () => platformatic.decode(ours) },
    ] as const;
    for (const { library, operation, run } of cases) {
      const seconds = await timeIt(iterations, run);
      results.push({
        compression,
        operation,
        library,
        recordsPerSecond: (iterations * records.length) / seconds,
        megabytesPerSecond: (iterations * payloadBytes) / seconds / 1e6,
      });
    }
  }
  return results;
}

function formatTable(results: Measurement[]): string {
  const header = ['compression', 'operation', 'kafkaless rec/s', 'MB/s', 'kafkajs rec/s', 'MB/s', 'platformatic rec/s', 'MB/s', 'kafkaless/kafkajs', 'kafkaless/platformatic'];
  const rows = [header];
  const find = (library: Library, ours: Measurement) => results.find((r) => r.library === library && r.compression === ours.compression && r.operation === ours.operation);
  for (const ours of results.filter((r) => r.library === 'kafkaless')) {
    const kafkajs = find('kafkajs', ours);
    const platformatic = find('platformatic', ours);
    if (kafkajs === undefined || platformatic === undefined) continue;
    rows.push([
      ours.compression + (ours.compression === 'zstd' ? '*' : ''),
      ours.operation,
      ...[ours, kafkajs, platformatic].flatMap((m) => [Math.round(m.recordsPerSecond).toLocaleString('en-US'), m.megabytesPerSecond.toFixed(1)]),
      `${(ours.recordsPerSecond / kafkajs.recordsPerSecond).toFixed(2)}x`,
      `${(ours.recordsPerSecond / platformatic.recordsPerSecond).toFixed(2)}x`,
    ]);
  }
  const widths = header.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  return rows.map((row) => row.map((cell, c) => cell.padStart(widths[c] ?? 0)).join('  ')).join('\n');
}

/** Runs the benchmark and prints a table of records/s and MB/s, kafkaless against kafkajs and @platformatic/kafka. */
export async function runCodecBench(options: { iterations?: number } = {}): Promise<void> {
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  await initZstd();
  const kafkajs = loadKafkajs();
  const platformatic = loadPlatformatic();
  const records = sampleRecords();
  const payloadBytes = (await encodeRecordBatch(records)).length - 61;
  console.log(
    `record batch codec: ${RECORDS_PER_BATCH} records x ${VALUE_BYTES} B values (${payloadBytes} B of records), ` +
      `best of ${ROUNDS} rounds of ${iterations} iterations, node ${process.version}`,
  );
  console.log(formatTable(await measure(iterations, records, payloadBytes, kafkajs, platformatic)));
  console.log('* zstd: the same WebAssembly zstd (@bokuweb/zstd-wasm, level 3) serves all three: registered in kafkajs\'s CompressionCodecs,');
  console.log('  as kafkajs has none, and in @platformatic/kafka\'s compression table, as its node:zlib zstd needs Node 22.');
  console.log('MB/s counts uncompressed record bytes (1e6 bytes per MB). Decode rows read another library\'s bytes:');
  console.log('kafkaless decodes kafkajs\'s batches; kafkajs and @platformatic/kafka decode kafkaless\'s.');
  console.log('kafkaless checks every batch\'s CRC-32C when decoding; kafkajs and @platformatic/kafka do not.');
  console.log('kafkaless/<peer> is the records/s ratio: above 1x, kafkaless is faster.');
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const iterations = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  await runCodecBench(iterations === undefined ? {} : { iterations });
}
