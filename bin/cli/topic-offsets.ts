/**
 * `kafkaless topics offsets` (as kafka-get-offsets.sh) and
 * `kafkaless topics delete-records` (as kafka-delete-records.sh).
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import type { Admin } from '../../lib/client/admin.js';
import { CliUsageError } from './connect.js';
import { parseOffsetTime, parsePartitionList } from './config-args.js';
import { createOutput } from './output.js';

/** kafka-delete-records.sh's --offset-json-file format. */
const deleteRecordsFile = z
  .object({
    partitions: z.array(z.object({ topic: z.string(), partition: z.number().int(), offset: z.number().int() }).strict()).min(1),
    version: z.literal(1).optional(),
  })
  .strict();

type DeleteAsk = { topic: string; partition: number; offset: number };

async function readDeleteFile(file: string): Promise<DeleteAsk[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new CliUsageError(`Cannot read --offset-json-file ${file}: ${(err as Error).message}`);
  }
  const result = deleteRecordsFile.safeParse(parsed);
  if (!result.success) {
    throw new CliUsageError(`--offset-json-file ${file} must look like {"partitions":[{"topic":"t","partition":0,"offset":5}],"version":1}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  }
  return result.data.partitions;
}

export function registerTopicOffsets(topics: Command, withAdmin: <T>(work: (admin: Admin) => Promise<T>) => Promise<T>, json: () => boolean): void {
  topics
    .command('offsets <topic>')
    .description('print topic:partition:offset per partition, as kafka-get-offsets.sh')
    .option('--time <time>', 'latest, earliest, an epoch time in ms, or an ISO-8601 time: the first offset at or after it', 'latest')
    .option('--partitions <list>', 'partitions, e.g. 0,1 or 0-3 (default: all)')
    .action(async (topic: string, opts: { time: string; partitions?: string }) => {
      const out = createOutput(json());
      const spec = parseOffsetTime(opts.time);
      const partitions = opts.partitions === undefined ? undefined : parsePartitionList(opts.partitions);
      const listed = await withAdmin((admin) => admin.listOffsets(topic, spec, partitions));
      // As kafka-get-offsets.sh: a partition with no record that late is left out.
      const found = listed.filter((p) => p.offset !== '-1').map((p) => ({ topic, partition: p.partition, offset: Number(p.offset) }));
      out.result(found, () => found.map((p) => `${p.topic}:${p.partition}:${p.offset}`).join('\n'));
    });

  topics
    .command('delete-records [topic]')
    .description('delete records before an offset, as kafka-delete-records.sh; prints the new low watermarks')
    .option('--partition <p>', 'the partition')
    .option('--offset <o>', 'delete records before this offset (-1: up to the high watermark)')
    .option('--offset-json-file <file>', 'kafka-delete-records.sh JSON: {"partitions":[{"topic":"t","partition":0,"offset":5}],"version":1}')
    .action(async (topic: string | undefined, opts: { partition?: string; offset?: string; offsetJsonFile?: string }) => {
      const out = createOutput(json());
      let asks: DeleteAsk[];
      if (opts.offsetJsonFile !== undefined) {
        if (opts.partition !== undefined || opts.offset !== undefined) throw new CliUsageError('Give either --offset-json-file or --partition with --offset, not both.');
        asks = await readDeleteFile(opts.offsetJsonFile);
      } else {
        if (topic === undefined || opts.partition === undefined || opts.offset === undefined) {
          throw new CliUsageError('Give a topic with --partition P --offset O, or --offset-json-file FILE.');
        }
        const partition = Number(opts.partition);
        const offset = Number(opts.offset);
        if (!Number.isInteger(partition) || !Number.isInteger(offset)) throw new CliUsageError('--partition and --offset take whole numbers.');
        asks = [{ topic, partition, offset }];
      }
      const byTopic = new Map<string, DeleteAsk[]>();
      for (const a of asks) byTopic.set(a.topic, [...(byTopic.get(a.topic) ?? []), a]);
      const results = await withAdmin(async (admin) => {
        const all = [];
        for (const [t, list] of byTopic) all.push(...(await admin.deleteRecords({ topic: t, partitions: list })));
        return all;
      });
      out.result(results, () => ['Records delete operation completed:', ...results.map((r) => `partition: ${r.topic}-${r.partition}\tlow_watermark: ${r.lowWatermark}`)].join('\n'));
    });
}
