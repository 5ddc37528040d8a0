/**
 * `kafkaless topics create|list|describe|delete|alter|offsets|delete-records`,
 * as Kafka's kafka-topics, kafka-configs, kafka-get-offsets and
 * kafka-delete-records scripts.
 */
import type { Command } from 'commander';
import type { TopicConfigDescription } from '../../lib/protocol/admin-replies.js';
import { parseAddConfig, parseConfigPairs, parseDeleteConfig } from './config-args.js';
import type { ConnectOptions } from './connect.js';
import { connect, CliUsageError } from './connect.js';
import { createOutput, formatTable } from './output.js';
import { registerTopicOffsets } from './topic-offsets.js';

interface GlobalOptions extends ConnectOptions {
  readonly json?: boolean;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parseCount(value: string, option = '--partitions'): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new CliUsageError(`${option} takes a whole number, got '${value}'`);
  return n;
}

/** Every config with its source, as `kafka-configs.sh --describe --all` prints them. */
function formatConfigs(described: TopicConfigDescription): string {
  const lines = described.configEntries.map((e) => {
    const synonyms = [...(e.isDefault ? [] : [`DYNAMIC_TOPIC_CONFIG:${e.name}=${e.value}`]), `DEFAULT_CONFIG:${e.name}=${e.defaultValue}`];
    return `  ${e.name}=${e.value} sensitive=${e.isSensitive} synonyms={${synonyms.join(', ')}}${e.hasEffect ? '' : ' (accepted without effect)'}`;
  });
  return [`All configs for topic ${described.topic} are:`, ...lines].join('\n');
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
    .option('--replication-factor <r>', 'accepted and stored without effect (S3 and DynamoDB replicate); -1 or more', '-1')
    .option('--config <key=value>', 'a topic config (repeatable), e.g. retention.ms=86400000', collect)
    .option('--if-not-exists', 'succeed quietly when the topic exists')
    .option('--validate-only', 'check the request without creating anything')
    .action(async (topic: string, opts: { partitions: string; replicationFactor: string; config?: string[]; ifNotExists?: boolean; validateOnly?: boolean }) => {
      const out = createOutput(globals().json === true);
      const configEntries = parseConfigPairs(opts.config);
      const numPartitions = parseCount(opts.partitions);
      const replicationFactor = parseCount(opts.replicationFactor, '--replication-factor');
      await withAdmin(globals(), async (admin) => {
        if (opts.ifNotExists === true && (await admin.listTopics()).includes(topic)) {
          out.result({ topic, created: false }, () => `Topic ${topic} already exists.`);
          return;
        }
        const [created] = await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor, configEntries }], validateOnly: opts.validateOnly === true });
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
    .description('describe topics: partitions with their log start offset and high watermark, and every config with its source')
    .action(async (names: string[]) => {
      const out = createOutput(globals().json === true);
      const { described, configs } = await withAdmin(globals(), async (admin) => {
        const described = await admin.describeTopics(names.length > 0 ? { topics: names } : {});
        const configs = described.length === 0 ? [] : await admin.describeConfigs({ topics: described.map((t) => t.topic) });
        return { described, configs };
      });
      const json = described.map((t, i) => ({ ...t, configEntries: configs[i]!.configEntries }));
      out.result(json, () =>
        described
          .map((t, i) => {
            const set = Object.entries(t.configs).map(([k, v]) => `${k}=${v}`).join(',');
            const header = `Topic: ${t.topic}\tTopicId: ${t.topicId}\tPartitionCount: ${t.partitions.length}\tReplicationFactor: ${t.replicationFactor}\tConfigs: ${set}`;
            const rows = t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, logStartOffset: p.logStartOffset, highWatermark: p.highWatermark }));
            return `${header}\n${formatTable(rows)}\n${formatConfigs(configs[i]!)}`;
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
    .option('--add-config <k=v,k2=[a,b]>', "set configs, in kafka-configs.sh's syntax (a list value in brackets)", collect)
    .option('--delete-config <k1,k2>', 'return configs to their defaults (repeatable, or comma-separated)', collect)
    .action(async (topic: string, opts: { partitions?: string; config?: string[]; addConfig?: string[]; deleteConfig?: string[] }) => {
      const out = createOutput(globals().json === true);
      const changes = [
        ...[...parseConfigPairs(opts.config), ...parseAddConfig(opts.addConfig)].map((c) => ({ ...c, operation: 'SET' as const })),
        ...parseDeleteConfig(opts.deleteConfig).map((name) => ({ name, operation: 'DELETE' as const })),
      ];
      if (opts.partitions === undefined && changes.length === 0) {
        throw new CliUsageError('Nothing to alter: give --partitions, --config, --add-config or --delete-config.');
      }
      await withAdmin(globals(), async (admin) => {
        if (changes.length > 0) await admin.incrementalAlterConfigs({ topics: [{ topic, configEntries: changes }], validateOnly: true });
        if (opts.partitions !== undefined) await admin.createPartitions({ topicPartitions: [{ topic, count: parseCount(opts.partitions) }] });
        if (changes.length > 0) await admin.incrementalAlterConfigs({ topics: [{ topic, configEntries: changes }] });
      });
      out.result({ topic, altered: true }, () => `Topic ${topic} altered.`);
    });

  registerTopicOffsets(topics, (work) => withAdmin(globals(), work), () => globals().json === true);
}
