/** `kafkaless topics create|list|describe|delete|alter`, as Kafka's kafka-topics script. */
import type { Command } from 'commander';
import type { ConnectOptions } from './connect.js';
import { connect, CliUsageError } from './connect.js';
import { createOutput, formatTable } from './output.js';

interface GlobalOptions extends ConnectOptions {
  readonly json?: boolean;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parseConfigs(pairs: readonly string[] = []): { name: string; value: string }[] {
  return pairs.map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0) throw new CliUsageError(`--config takes key=value, got '${pair}'`);
    return { name: pair.slice(0, at), value: pair.slice(at + 1) };
  });
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new CliUsageError(`--partitions takes a whole number, got '${value}'`);
  return n;
}

async function withAdmin<T>(globals: GlobalOptions, work: (admin: ReturnType<ReturnType<typeof connect>['admin']>) => Promise<T>): Promise<T> {
  const kafkaless = connect(globals);
  try {
    return await work(kafkaless.admin());
  } finally {
    await kafkaless.close();
  }
}

export function registerTopics(program: Command): void {
  const topics = program.command('topics').description('create, list, describe, alter and delete topics');
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();

  topics
    .command('create <topic>')
    .description('create a topic')
    .option('--partitions <n>', 'number of partitions', '1')
    .option('--config <key=value>', 'a topic config (repeatable), e.g. retention.ms=86400000', collect)
    .option('--if-not-exists', 'succeed quietly when the topic exists')
    .option('--validate-only', 'check the request without creating anything')
    .action(async (topic: string, opts: { partitions: string; config?: string[]; ifNotExists?: boolean; validateOnly?: boolean }) => {
      const out = createOutput(globals().json === true);
      const configEntries = parseConfigs(opts.config);
      const numPartitions = parseCount(opts.partitions);
      await withAdmin(globals(), async (admin) => {
        if (opts.ifNotExists === true && (await admin.listTopics()).includes(topic)) {
          out.result({ topic, created: false }, () => `Topic ${topic} already exists.`);
          return;
        }
        const [created] = await admin.createTopics({ topics: [{ topic, numPartitions, configEntries }], validateOnly: opts.validateOnly === true });
        if (created?.warning !== undefined && !out.json) out.info(`WARNING: ${created.warning}`);
        const verb = opts.validateOnly === true ? 'would be created' : 'created';
        out.result(created, () => `Topic ${topic} ${verb} with ${numPartitions} partition(s) (topicId ${created?.topicId}).`);
      });
    });

  topics
    .command('list')
    .description('list topics')
    .action(async () => {
      const out = createOutput(globals().json === true);
      const names = await withAdmin(globals(), (admin) => admin.listTopics());
      out.result(names, () => names.join('\n'));
    });

  topics
    .command('describe [topics...]')
    .description('describe topics: partitions with their log start offset and high watermark, and configs')
    .action(async (names: string[]) => {
      const out = createOutput(globals().json === true);
      const described = await withAdmin(globals(), (admin) => admin.describeTopics(names.length > 0 ? { topics: names } : {}));
      out.result(described, () =>
        described
          .map((t) => {
            const configs = Object.entries(t.configs).map(([k, v]) => `${k}=${v}`).join(',');
            const header = `Topic: ${t.topic}\tTopicId: ${t.topicId}\tPartitionCount: ${t.partitions.length}\tConfigs: ${configs}`;
            const rows = t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, logStartOffset: p.logStartOffset, highWatermark: p.highWatermark }));
            return `${header}\n${formatTable(rows)}`;
          })
          .join('\n\n'),
      );
    });

  topics
    .command('delete <topics...>')
    .description('delete topics (their data is removed in the background)')
    .action(async (names: string[]) => {
      const out = createOutput(globals().json === true);
      await withAdmin(globals(), (admin) => admin.deleteTopics({ topics: names }));
      out.result({ deleted: names }, () => names.map((n) => `Topic ${n} deleted.`).join('\n'));
    });

  topics
    .command('alter <topic>')
    .description('raise the partition count or change configs')
    .option('--partitions <n>', 'new (higher) number of partitions')
    .option('--config <key=value>', 'set a topic config (repeatable)', collect)
    .option('--delete-config <key>', 'return a config to its default (repeatable)', collect)
    .action(async (topic: string, opts: { partitions?: string; config?: string[]; deleteConfig?: string[] }) => {
      const out = createOutput(globals().json === true);
      const changes = [...parseConfigs(opts.config), ...(opts.deleteConfig ?? []).map((name) => ({ name, value: null }))];
      if (opts.partitions === undefined && changes.length === 0) {
        throw new CliUsageError('Nothing to alter: give --partitions, --config or --delete-config.');
      }
      await withAdmin(globals(), async (admin) => {
        if (opts.partitions !== undefined) await admin.createPartitions({ topicPartitions: [{ topic, count: parseCount(opts.partitions) }] });
        if (changes.length > 0) await admin.alterConfigs({ topics: [{ topic, configEntries: changes }] });
      });
      out.result({ topic, altered: true }, () => `Topic ${topic} altered.`);
    });
}
