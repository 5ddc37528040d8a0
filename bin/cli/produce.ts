/**
 * `kafkaless produce TOPIC`: one record per line of standard input, as
 * kafka-console-producer: Kafka's line reader properties (--property), its
 * producer overrides (--producer-property, --producer.config) and defaults.
 * A run that fails part-way says how much was committed before it exits 1.
 */
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { Message, RecordMetadata } from '../../lib/client/producer/message.js';
import { COMPRESSION_TYPES } from '../../lib/log/index.js';
import { CliUsageError, connect, type ConnectOptions } from './connect.js';
import { lineReaderConfig, parseLine } from './line-reader.js';
import { createOutput } from './output.js';
import { producerSettings } from './producer-properties.js';
import { Acknowledged } from './produce-report.js';
import { Progress } from './progress.js';
import { collect, loadPropertiesFile, parseProperties } from './properties.js';

interface ProduceOptions {
  keySeparator?: string;
  partition?: string;
  acks?: string;
  compression?: string;
  lingerMs?: string;
  batchSize?: string;
  property?: string[];
  producerProperty?: string[];
  'producer.config'?: string;
}

/** Sends awaited at most at once (one per line); the producer's buffer.memory bounds the bytes. */
const MAX_PENDING_SENDS = 20_000;

/** The tool's own flags, each a producer config when given (they win over --producer-property, as in Kafka). */
function flagConfigs(opts: ProduceOptions): Map<string, string> {
  const flags = new Map<string, string>();
  if (opts.acks !== undefined) flags.set('acks', opts.acks);
  if (opts.compression !== undefined) flags.set('compression.type', opts.compression);
  if (opts.lingerMs !== undefined) flags.set('linger.ms', opts.lingerMs);
  if (opts.batchSize !== undefined) flags.set('batch.size', opts.batchSize);
  return flags;
}

function readerProperties(opts: ProduceOptions): Map<string, string> {
  const props = parseProperties(opts.property, '--property');
  if (opts.keySeparator !== undefined) {
    // Today's short flag: split at the separator; a line without it is all value.
    props.set('parse.key', 'true');
    props.set('key.separator', opts.keySeparator);
    if (!props.has('ignore.error')) props.set('ignore.error', 'true');
  }
  return props;
}

export function registerProduce(program: Command): void {
  program
    .command('produce <topic>')
    .description('produce one record per line of standard input')
    .option(
      '--property <prop>',
      'a line reader property, key=value (repeatable): parse.key, key.separator (\\t), parse.headers, headers.delimiter (\\t), headers.separator (,), headers.key.separator (:), null.marker, ignore.error',
      collect,
    )
    .option('--producer-property <prop>', 'a producer config, key=value (repeatable): acks, linger.ms, batch.size, compression.type, …', collect)
    .option('--producer.config <file>', 'producer configs from a properties file (--producer-property wins over it)')
    .option('--key-separator <sep>', 'split each line into key and value at the first <sep> (parse.key=true key.separator=<sep>)')
    .option('--partition <p>', 'send every record to this partition')
    .option('--acks <acks>', 'acks: all, -1, 1 or 0 (default all)')
    .option('--compression <codec>', `compression.type: one of ${COMPRESSION_TYPES.join(', ')} (default none)`)
    .option('--linger-ms <ms>', 'linger.ms (default 1000, as kafka-console-producer)')
    .option('--batch-size <bytes>', 'batch.size (default 16384, as kafka-console-producer)')
    .action(async (topic: string, opts: ProduceOptions) => {
      const globals = program.opts<ConnectOptions & { json?: boolean }>();
      const out = createOutput(globals.json === true);
      const partition = opts.partition === undefined ? undefined : Number(opts.partition);
      if (partition !== undefined && !Number.isInteger(partition)) throw new CliUsageError('--partition takes a whole number');
      const reader = lineReaderConfig(readerProperties(opts));
      const fileConfigs = opts['producer.config'] === undefined ? new Map<string, string>() : loadPropertiesFile(opts['producer.config']);
      const settings = producerSettings([fileConfigs, parseProperties(opts.producerProperty, '--producer-property'), flagConfigs(opts)]);
      if (settings.ignored.length > 0) out.info(`Note: ignoring producer configs that have no meaning here: ${settings.ignored.join(', ')}`);
      const kafkaless = connect(globals);
      const producer = kafkaless.producer(settings.config);
      const progress = new Progress(`Producing to ${topic}`);
      const acked = new Acknowledged();
      let read = 0;
      let failure: unknown;
      let pending: Promise<RecordMetadata[]>[] = [];
      const settle = async (keep: number) => {
        while (pending.length > keep) {
          try {
            for (const m of await pending.shift()!) acked.add(m);
          } catch (err) {
            failure ??= err;
          }
        }
      };
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      try {
        try {
          for await (const line of lines) {
            const message: Message = { ...parseLine(line, reader, read + 1), ...(partition !== undefined ? { partition } : {}) };
            read++;
            const sent = producer.send({ topic, messages: [message] });
            sent.catch((err: unknown) => (failure ??= err));
            pending.push(sent);
            if (pending.length > MAX_PENDING_SENDS) await settle(MAX_PENDING_SENDS);
            progress.tick(read);
            if (failure !== undefined) break;
          }
        } catch (err) {
          failure ??= err;
        }
        lines.close();
        await settle(0);
        await producer.disconnect().catch((err: unknown) => (failure ??= err));
      } finally {
        progress.done();
        pending = [];
        await kafkaless.close();
      }
      if (failure !== undefined) {
        out.info(acked.describe(read, settings.config.acks));
        throw failure;
      }
      const summary = { topic, records: read, elapsedMs: progress.elapsedMs(), recordsPerSecond: progress.rate(read), partitions: Object.fromEntries([...acked.perPartition].sort((a, b) => a[0] - b[0])) };
      out.result(summary, () => `Produced ${read} records to ${topic} in ${(summary.elapsedMs / 1000).toFixed(1)} s (${summary.recordsPerSecond} records/s).`);
    });
}
