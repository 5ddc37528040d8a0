/** `kafkaless groups list|describe|reset-offsets|delete`, as Kafka's kafka-consumer-groups script. */
import type { Command } from 'commander';
import type { ResetTarget } from '../../lib/protocol/group-requests.js';
import type { ConnectOptions } from './connect.js';
import { connect, CliUsageError } from './connect.js';
import { createOutput, formatTable, type Row } from './output.js';

interface GlobalOptions extends ConnectOptions {
  readonly json?: boolean;
}

interface ResetOptions {
  readonly topic?: string;
  readonly partitions?: string;
  readonly toEarliest?: boolean;
  readonly toLatest?: boolean;
  readonly toOffset?: string;
  readonly toDatetime?: string;
  readonly execute?: boolean;
}

type AdminClient = ReturnType<ReturnType<typeof connect>['admin']>;

async function withAdmin<T>(globals: GlobalOptions, work: (admin: AdminClient) => Promise<T>): Promise<T> {
  const kafkaless = connect(globals);
  try {
    return await work(kafkaless.admin());
  } finally {
    await kafkaless.close();
  }
}

/** Exactly one of --to-earliest, --to-latest, --to-offset, --to-datetime. */
export function parseResetTarget(opts: ResetOptions): ResetTarget {
  const given = [opts.toEarliest === true, opts.toLatest === true, opts.toOffset !== undefined, opts.toDatetime !== undefined].filter(Boolean).length;
  if (given !== 1) throw new CliUsageError('Give exactly one of --to-earliest, --to-latest, --to-offset N, --to-datetime ISO.');
  if (opts.toEarliest === true) return 'earliest';
  if (opts.toLatest === true) return 'latest';
  if (opts.toOffset !== undefined) {
    const offset = Number(opts.toOffset);
    if (!Number.isSafeInteger(offset) || offset < 0) throw new CliUsageError(`--to-offset takes a whole number >= 0, got '${opts.toOffset}'`);
    return { offset };
  }
  const timestamp = Date.parse(opts.toDatetime!);
  if (Number.isNaN(timestamp) || timestamp < 0) throw new CliUsageError(`--to-datetime takes an ISO date-time such as 2024-01-31T12:00:00Z, got '${opts.toDatetime}'`);
  return { timestamp };
}

function parsePartitions(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  return value.split(',').map((part) => {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 0) throw new CliUsageError(`--partitions takes numbers separated by commas, got '${value}'`);
    return n;
  });
}

export function registerGroups(program: Command): void {
  const groups = program.command('groups').description('list, describe, reset the offsets of, and delete consumer groups');
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();

  groups
    .command('list')
    .description('list consumer groups with their state and member count')
    .action(async () => {
      const out = createOutput(globals().json === true);
      const listed = (await withAdmin(globals(), (admin) => admin.listGroups())).groups;
      out.result(listed, () => formatTable(listed.map((g) => ({ group: g.groupId, state: g.state, members: g.members })), ['group', 'state', 'members']));
    });

  groups
    .command('describe <group>')
    .description("a group's partitions: committed offset, log end offset, lag and owning member")
    .action(async (groupId: string) => {
      const out = createOutput(globals().json === true);
      const [group] = (await withAdmin(globals(), (admin) => admin.describeGroups([groupId]))).groups;
      const rows = group!.partitions.map((p) => ({
        group: groupId,
        topic: p.topic,
        partition: p.partition,
        currentOffset: p.committedOffset,
        logEndOffset: p.logEndOffset,
        lag: p.lag,
        member: p.memberId,
        ...(p.instanceId !== undefined ? { instanceId: p.instanceId } : {}),
      }));
      out.result({ group: groupId, state: group!.state, assignor: group!.protocol, groupEpoch: group!.groupEpoch, members: group!.members.length, partitions: rows }, () => {
        const header = `Group ${groupId} is ${group!.state} (assignor ${group!.protocol}, epoch ${group!.groupEpoch}, ${group!.members.length} member(s)).`;
        const table: Row[] = rows.map((r) => ({
          group: r.group,
          topic: r.topic,
          partition: r.partition,
          'current-offset': r.currentOffset,
          'log-end-offset': r.logEndOffset,
          lag: r.lag,
          member: r.member,
        }));
        const columns = ['group', 'topic', 'partition', 'current-offset', 'log-end-offset', 'lag', 'member'];
        return rows.length === 0 ? `${header}\nNo partitions.` : `${header}\n\n${formatTable(table, columns)}`;
      });
    });

  groups
    .command('reset-offsets <group>')
    .description("move a group's committed offsets of a topic (the group must have no live members); a dry run unless --execute")
    .requiredOption('--topic <topic>', 'the topic whose offsets to reset')
    .option('--partitions <list>', 'only these partitions, e.g. 0,2,3')
    .option('--to-earliest', 'to the log start offset')
    .option('--to-latest', 'to the log end offset')
    .option('--to-offset <n>', 'to this offset (clamped to the log)')
    .option('--to-datetime <iso>', 'to the first offset at or after this time')
    .option('--execute', 'write the new offsets (without it, only show them)')
    .action(async (groupId: string, opts: ResetOptions) => {
      const out = createOutput(globals().json === true);
      const to = parseResetTarget(opts);
      const partitions = parsePartitions(opts.partitions);
      const reply = await withAdmin(globals(), (admin) =>
        admin.resetOffsets({ groupId, topic: opts.topic!, to, dryRun: opts.execute !== true, ...(partitions !== undefined ? { partitions } : {}) }),
      );
      out.result(reply, () => {
        const rows = reply.offsets.map((o) => ({ group: groupId, topic: o.topic, partition: o.partition, 'previous-offset': o.previousOffset, 'new-offset': o.offset }));
        const note = reply.dryRun ? '\n(dry run: nothing was changed; add --execute to apply)' : '';
        return formatTable(rows) + note;
      });
    });

  groups
    .command('delete <groups...>')
    .description('delete groups and their committed offsets (each must have no live members)')
    .action(async (groupIds: string[]) => {
      const out = createOutput(globals().json === true);
      await withAdmin(globals(), (admin) => admin.deleteGroups(groupIds));
      out.result({ deleted: groupIds }, () => groupIds.map((g) => `Group ${g} deleted.`).join('\n'));
    });
}
