/**
 * `kafkaless maintenance run [--topic T] [--step S]...`: runs maintenance now
 * (the stack also runs it on a schedule). One invocation per partition, so
 * each partition's outcome is printed as it finishes, then the collector,
 * then a summary.
 */
import type { Command } from 'commander';
import { call } from '../../lib/client/transport.js';
import type { MaintenanceReply, MaintenanceTotals, PartitionMaintenance } from '../../lib/protocol/maintenance-replies.js';
import { MAINTENANCE_STEPS, type MaintenanceStep } from '../../lib/protocol/maintenance-requests.js';
import { CliUsageError, connect, type ConnectOptions } from './connect.js';
import { createOutput } from './output.js';

interface GlobalOptions extends ConnectOptions {
  readonly json?: boolean;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parseSteps(values: readonly string[] | undefined): MaintenanceStep[] {
  if (values === undefined) return [...MAINTENANCE_STEPS];
  const known: readonly string[] = MAINTENANCE_STEPS;
  for (const v of values) {
    if (!known.includes(v)) throw new CliUsageError(`--step takes one of ${MAINTENANCE_STEPS.join(', ')}; got '${v}'`);
  }
  return MAINTENANCE_STEPS.filter((s) => values.includes(s));
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function partitionLine(p: PartitionMaintenance): string {
  const where = `${p.topic}[${p.partition}]`;
  if (p.skipped !== undefined) return `${where}: skipped (another worker holds its lease)`;
  const parts = [
    `${p.segmentsWritten} segment(s) written from ${p.batchesRolled} batch(es)`,
    `${p.offsetsExpired} offset(s) expired`,
    `${p.recordsCompacted} record(s) compacted`,
    `${bytes(p.bytesReclaimed)} reclaimed`,
  ];
  if (p.conflicts > 0) parts.push(`${p.conflicts} conflict(s), retried next run`);
  if (p.errors !== undefined) parts.push(`errors: ${p.errors.map((e) => `${e.code}: ${e.message}`).join('; ')}`);
  return `${where}: ${parts.join(', ')}`;
}

function addTotals(a: MaintenanceTotals, b: MaintenanceTotals): MaintenanceTotals {
  return {
    segmentsWritten: a.segmentsWritten + b.segmentsWritten,
    bytesReclaimed: a.bytesReclaimed + b.bytesReclaimed,
    objectsDeleted: a.objectsDeleted + b.objectsDeleted,
    recordsRemoved: a.recordsRemoved + b.recordsRemoved,
  };
}

export function registerMaintenance(program: Command): void {
  const maintenance = program.command('maintenance').description('log maintenance: segment rolling, retention, log compaction, garbage collection');
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();

  maintenance
    .command('run')
    .description('run maintenance now (it also runs on the stack\'s schedule)')
    .option('--topic <topic>', 'only this topic (default: all topics)')
    .option('--step <step>', `only these steps (repeatable): ${MAINTENANCE_STEPS.join(', ')}`, collect)
    .action(async (opts: { topic?: string; step?: string[] }) => {
      const out = createOutput(globals().json === true);
      const steps = parseSteps(opts.step);
      const partitionSteps = steps.filter((s) => s !== 'gc');
      const kafkaless = connect(globals());
      try {
        const topics = await kafkaless.admin().describeTopics(opts.topic !== undefined ? { topics: [opts.topic] } : {});
        const partitions: PartitionMaintenance[] = [];
        let totals: MaintenanceTotals = { segmentsWritten: 0, bytesReclaimed: 0, objectsDeleted: 0, recordsRemoved: 0 };
        for (const topic of partitionSteps.length > 0 ? topics : []) {
          for (const { partition } of topic.partitions) {
            const reply = await call<MaintenanceReply>(kafkaless.transport, 'maintenance', { action: 'run', topic: topic.topic, partitions: [partition], steps: partitionSteps });
            for (const p of reply.partitions) {
              partitions.push(p);
              out.info(partitionLine(p));
            }
            totals = addTotals(totals, reply.totals);
          }
        }
        let collector: MaintenanceReply['collector'];
        if (steps.includes('gc')) {
          const reply = await call<MaintenanceReply>(kafkaless.transport, 'maintenance', { action: 'run', steps: ['gc'] });
          collector = reply.collector;
          totals = addTotals(totals, reply.totals);
          if (collector !== undefined) {
            out.info(
              collector.skipped !== undefined
                ? 'collector: skipped (another collector is running)'
                : `collector: ${collector.objectsDeleted} object(s) deleted (${collector.orphansDeleted} never committed), ${collector.topicsRemoved} deleted topic(s) removed`,
            );
          }
        }
        out.result({ partitions, collector, totals }, () =>
          `Maintenance done: ${partitions.length} partition(s), ${totals.segmentsWritten} segment(s) written, ${totals.recordsRemoved} record(s) removed, ${bytes(totals.bytesReclaimed)} reclaimed, ${totals.objectsDeleted} object(s) deleted.`,
        );
      } finally {
        await kafkaless.close();
      }
    });
}
