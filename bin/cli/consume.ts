/** `kafkaless consume TOPIC`: prints records, as kafka-console-consumer. */
import type { Command } from 'commander';
import type { Consumer, ConsumerRecord } from '../../lib/client/consumer/consumer.js';
import type { GroupConsumer } from '../../lib/client/consumer/group-consumer.js';
import type { Kafkaless } from '../../lib/client/kafkaless.js';
import type { MetadataReply } from '../../lib/protocol/log-replies.js';
import { call } from '../../lib/client/transport.js';
import { CliUsageError, connect, type ConnectOptions } from './connect.js';
import { collect, parseProperties } from './properties.js';
import { FORMATTERS, formatRecord, formatterConfig, type TimestampType } from './record-formatter.js';
import { startOffset } from './start-offset.js';

export interface ConsumeOptions {
  fromBeginning?: boolean;
  partition?: string;
  offset?: string;
  maxMessages?: string;
  timeoutMs?: string;
  printKey?: boolean;
  printOffset?: boolean;
  group?: string;
  property?: string[];
  formatter?: string;
}

/** How each record is printed, line separator included. */
export type RecordPrinter = (r: ConsumerRecord) => string;

/** The printer the options ask for: Kafka's DefaultMessageFormatter properties, or one JSON object per line. */
export async function recordPrinter(kafkaless: Kafkaless, topic: string, opts: ConsumeOptions, json: boolean): Promise<RecordPrinter> {
  const config = formatterConfig(parseProperties(opts.property, '--property'), opts, json);
  const timestampType = config.printTimestamp && !config.json ? await timestampTypeOf(kafkaless, topic) : 'CreateTime';
  return (r) => formatRecord(r, config, timestampType);
}

async function timestampTypeOf(kafkaless: Kafkaless, topic: string): Promise<TimestampType> {
  const [described] = await kafkaless.admin().describeConfigs({ topics: [topic] });
  const type = described?.configEntries.find((e) => e.name === 'message.timestamp.type')?.value;
  return type === 'LogAppendTime' ? 'LogAppendTime' : 'CreateTime';
}

function whole(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new CliUsageError(`${name} takes a whole number, got '${value}'`);
  return n;
}

/** Polls until max messages or `timeoutMs` without a record; prints as it goes. */
export async function printLoop(consumer: Pick<Consumer, 'poll'>, opts: ConsumeOptions, print: RecordPrinter): Promise<number> {
  const max = whole('--max-messages', opts.maxMessages) ?? Infinity;
  const idleMs = whole('--timeout-ms', opts.timeoutMs) ?? Infinity;
  let count = 0;
  let lastRecordAt = Date.now();
  let stop = false;
  const onSignal = () => (stop = true);
  // Ctrl-C, or a kill: finish the poll, commit (with --group), leave and say how many were printed.
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    while (!stop && count < max && Date.now() - lastRecordAt < idleMs) {
      // Never take more than is left to print: a group counts every record poll returned as consumed, and commits it.
      const records = await consumer.poll({ timeoutMs: Math.min(1000, idleMs === Infinity ? 1000 : Math.max(0, idleMs - (Date.now() - lastRecordAt))), maxRecords: max - count });
      if (records.length > 0) lastRecordAt = Date.now();
      const lines: string[] = [];
      for (const r of records) {
        if (count >= max) break;
        lines.push(print(r));
        count++;
      }
      if (lines.length > 0 && !process.stdout.write(lines.join(''))) await new Promise((r) => process.stdout.once('drain', r));
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return count;
}

/** Consumes as a member of a group: partitions come from the group; offsets are committed as records are printed. */
async function groupConsume(globals: ConnectOptions & { json?: boolean }, topic: string, opts: ConsumeOptions): Promise<number> {
  if (opts.partition !== undefined || opts.offset !== undefined) throw new CliUsageError('--group takes its partitions from the group: drop --partition and --offset');
  const kafkaless = connect(globals);
  const consumer = kafkaless.consumer({ 'group.id': opts.group!, 'auto.offset.reset': opts.fromBeginning === true ? 'earliest' : 'latest' });
  try {
    await partitionsToRead(kafkaless.transport, topic, {}); // an unknown topic is an error here too, not an endless wait
    consumer.subscribe({ topic, fromBeginning: opts.fromBeginning === true });
    const count = await printLoop(consumer, opts, await recordPrinter(kafkaless, topic, opts, globals.json === true));
    await commitPositions(consumer);
    return count;
  } finally {
    await consumer.disconnect();
    await kafkaless.close();
  }
}

/**
 * Commits every held partition's position, as Kafka's console consumer does
 * when it closes: past what was printed, and where it started on a partition
 * it printed nothing from, so the group's next run reads that partition from
 * there rather than from auto.offset.reset.
 */
async function commitPositions(consumer: GroupConsumer): Promise<void> {
  const positions = await Promise.all(consumer.assignment().map(async (tp) => ({ ...tp, offset: await consumer.position(tp) })));
  if (positions.length > 0) await consumer.commitSync(positions);
}

export function registerConsume(program: Command): void {
  program
    .command('consume <topic>')
    .description('print records of a topic, one per line')
    .option('--from-beginning', 'start at the earliest offset instead of the end')
    .option('--partition <p>', 'read only this partition')
    .option('--offset <n>', 'start at this offset, or earliest or latest (with --partition)')
    .option('--max-messages <n>', 'exit after this many records')
    .option('--timeout-ms <ms>', 'exit when no record arrives for this long')
    .option('--property <prop>', "a formatter property, key=value (repeatable): print.timestamp, print.partition, print.offset, print.headers, print.key, print.value (true/false); key.separator, line.separator, headers.separator, null.literal", collect)
    .option('--formatter <name>', `${FORMATTERS.join(' or ')}: Kafka's default format, or one JSON object per line`)
    .option('--print-key', 'print the key before the value (print.key=true)')
    .option('--print-offset', 'print partition and offset before each record (print.partition=true, print.offset=true)')
    .option('--group <group>', 'consume as a member of this consumer group, committing offsets')
    .action(async (topic: string, opts: ConsumeOptions) => {
      const globals = program.opts<ConnectOptions & { json?: boolean }>();
      const json = globals.json === true;
      let count: number;
      if (opts.group !== undefined) {
        count = await groupConsume(globals, topic, opts);
      } else {
        const kafkaless = connect(globals);
        try {
          // Kafka's console consumer takes --offset earliest or latest too: the partition's start or end.
          const named = opts.offset === 'earliest' || opts.offset === 'latest' ? opts.offset : undefined;
          if (named !== undefined && opts.partition === undefined) throw new CliUsageError('--offset needs --partition');
          const reset = named ?? (opts.fromBeginning === true ? 'earliest' : 'latest');
          const consumer = kafkaless.consumer({ 'auto.offset.reset': reset });
          const print = await recordPrinter(kafkaless, topic, opts, json);
          const partitions = await partitionsToRead(kafkaless.transport, topic, opts);
          consumer.assign(partitions.map((partition) => ({ topic, partition })));
          const offset = named === undefined ? whole('--offset', opts.offset) : undefined;
          if (offset !== undefined) {
            if (opts.partition === undefined) throw new CliUsageError('--offset needs --partition');
            const start = await startOffset(kafkaless.transport, topic, partitions[0]!, offset, reset);
            if (start.note !== undefined) process.stderr.write(`Note: ${start.note}\n`);
            consumer.seek({ topic, partition: partitions[0]!, offset: start.offset });
          }
          count = await printLoop(consumer, opts, print);
        } finally {
          await kafkaless.close();
        }
      }
      process.stderr.write(`Processed a total of ${count} messages\n`);
    });
}

async function partitionsToRead(transport: Parameters<typeof call>[0], topic: string, opts: ConsumeOptions): Promise<number[]> {
  const partition = whole('--partition', opts.partition);
  const meta = await call<MetadataReply>(transport, 'fetch', { action: 'metadata', topics: [topic] });
  const count = meta.topics[0]!.partitions;
  if (partition !== undefined) {
    if (partition >= count) throw new CliUsageError(`Topic ${topic} has ${count} partition(s); there is no partition ${partition}`);
    return [partition];
  }
  return Array.from({ length: count }, (_, i) => i);
}
