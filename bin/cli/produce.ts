/** `kafkaless produce TOPIC`: one record per line of standard input, as kafka-console-producer. */
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { Message, RecordMetadata } from '../../lib/client/producer/message.js';
import { COMPRESSION_TYPES, type CompressionType } from '../../lib/log/index.js';
import { CliUsageError, connect, type ConnectOptions } from './connect.js';
import { createOutput } from './output.js';
import { Progress } from './progress.js';

interface ProduceOptions {
  keySeparator?: string;
  partition?: string;
  acks: string;
  compression: string;
  lingerMs: string;
  batchSize: string;
}

/** Lines handed to the producer per send call. */
const CHUNK = 500;
/** Sends awaited at most at once; the producer's buffer.memory bounds the bytes. */
const MAX_PENDING_SENDS = 64;

function parseAcks(value: string): -1 | 0 | 1 {
  if (value === 'all' || value === '-1') return -1;
  if (value === '1') return 1;
  if (value === '0') return 0;
  throw new CliUsageError(`--acks takes all, -1, 1 or 0, got '${value}'`);
}

export function registerProduce(program: Command): void {
  program
    .command('produce <topic>')
    .description('produce one record per line of standard input')
    .option('--key-separator <sep>', 'split each line into key and value at the first <sep>')
    .option('--partition <p>', 'send every record to this partition')
    .option('--acks <acks>', 'all, -1, 1 or 0', 'all')
    .option('--compression <codec>', `one of ${COMPRESSION_TYPES.join(', ')}`, 'none')
    .option('--linger-ms <ms>', 'linger.ms', '5')
    .option('--batch-size <bytes>', 'batch.size', '262144')
    .action(async (topic: string, opts: ProduceOptions) => {
      const globals = program.opts<ConnectOptions & { json?: boolean }>();
      const out = createOutput(globals.json === true);
      if (!(COMPRESSION_TYPES as readonly string[]).includes(opts.compression)) throw new CliUsageError(`--compression takes one of ${COMPRESSION_TYPES.join(', ')}`);
      const partition = opts.partition === undefined ? undefined : Number(opts.partition);
      if (partition !== undefined && !Number.isInteger(partition)) throw new CliUsageError('--partition takes a whole number');
      const kafkaless = connect(globals);
      const producer = kafkaless.producer({
        acks: parseAcks(opts.acks),
        'compression.type': opts.compression as CompressionType,
        'linger.ms': Number(opts.lingerMs),
        'batch.size': Number(opts.batchSize),
      });
      const progress = new Progress(`Producing to ${topic}`);
      const perPartition = new Map<number, number>();
      let count = 0;
      let pending: Promise<RecordMetadata[]>[] = [];
      const settle = async (all: boolean) => {
        while (pending.length > (all ? 0 : MAX_PENDING_SENDS)) {
          for (const m of await pending.shift()!) perPartition.set(m.partition, (perPartition.get(m.partition) ?? 0) + 1);
        }
      };
      let chunk: Message[] = [];
      const flushChunk = async () => {
        if (chunk.length === 0) return;
        const sent = producer.send({ topic, messages: chunk });
        sent.catch(() => undefined);
        pending.push(sent);
        chunk = [];
        await settle(false);
      };
      try {
        for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
          chunk.push(toMessage(line, opts.keySeparator, partition));
          count++;
          if (chunk.length >= CHUNK) await flushChunk();
          progress.tick(count);
        }
        await flushChunk();
        await settle(true);
        await producer.disconnect();
      } finally {
        progress.done();
        pending = [];
        await kafkaless.close();
      }
      const summary = { topic, records: count, elapsedMs: progress.elapsedMs(), recordsPerSecond: progress.rate(count), partitions: Object.fromEntries([...perPartition].sort((a, b) => a[0] - b[0])) };
      out.result(summary, () => `Produced ${count} records to ${topic} in ${(summary.elapsedMs / 1000).toFixed(1)} s (${summary.recordsPerSecond} records/s).`);
    });
}

function toMessage(line: string, separator: string | undefined, partition: number | undefined): Message {
  const base = partition !== undefined ? { partition } : {};
  if (separator === undefined) return { ...base, value: line };
  const at = line.indexOf(separator);
  if (at < 0) return { ...base, key: null, value: line };
  return { ...base, key: line.slice(0, at), value: line.slice(at + separator.length) };
}
