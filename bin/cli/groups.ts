/** `kafkaless groups list|describe|reset-offsets|delete-offsets|delete`, as Kafka's kafka-consumer-groups script. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ConsumerGroupDescription } from '../../lib/client/admin-groups.js';
import type { ResetOffsetsReply } from '../../lib/protocol/group-replies.js';
import type { ResetTarget } from '../../lib/protocol/group-requests.js';
import { CliUsageError, withAdmin, type AdminClient, type ConnectOptions } from './connect.js';
import {
  collect,
  formatAssignment,
  formatOffsetsCsv,
  parseOffsetsCsv,
  parseResetTarget,
  parseTopicSpec,
  type PlannedOffset,
  type ResetTargetOptions,
  type TopicSpec,
} from './group-options.js';
import { createOutput, formatTable, type Row } from './output.js';

export { parseResetTarget } from './group-options.js';

interface GlobalOptions extends ConnectOptions {
  readonly json?: boolean;
}

interface DescribeOptions {
  readonly members?: boolean;
  readonly verbose?: boolean;
  readonly state?: boolean;
}

interface ResetOptions extends ResetTargetOptions {
  readonly topic?: string[];
  readonly allTopics?: boolean;
  readonly partitions?: string;
  readonly fromFile?: string;
  readonly execute?: boolean;
  readonly dryRun?: boolean;
  readonly export?: boolean;
}

/** Every group lives in DynamoDB: there is no coordinator broker to name, so the column shows the stack, as broker 0. */
const COORDINATOR = 'kafkaless (0)';

async function describeOne(globals: GlobalOptions, groupId: string): Promise<ConsumerGroupDescription> {
  const [group] = (await withAdmin(globals, (admin) => admin.describeGroups([groupId]))).groups;
  return group!;
}

/** Kafka's default view: per partition, offsets, lag and the owning consumer. */
export function offsetsView(group: ConsumerGroupDescription): { value: unknown; text: string } {
  const byMember = new Map(group.members.map((m) => [m.memberId, m]));
  const rows = group.partitions.map((p) => {
    const owner = p.memberId === null ? undefined : byMember.get(p.memberId);
    return {
      group: group.groupId,
      topic: p.topic,
      partition: p.partition,
      'current-offset': p.committedOffset,
      'log-end-offset': p.logEndOffset,
      lag: p.lag,
      'consumer-id': p.memberId,
      host: owner?.clientHost || null,
      'client-id': owner?.clientId || null,
    };
  });
  const header =
    group.members.length === 0
      ? `Consumer group '${group.groupId}' has no active members.`
      : group.type === 'classic'
        ? `Group ${group.groupId} is ${group.state} (classic protocol, assignor ${group.protocol || 'none yet'}, generation ${group.groupEpoch}, ${group.members.length} member(s)).`
        : `Group ${group.groupId} is ${group.state} (assignor ${group.protocol}, epoch ${group.groupEpoch}, ${group.members.length} member(s)).`;
  const value = { group: group.groupId, state: group.state, type: group.type, assignor: group.protocol, groupEpoch: group.groupEpoch, members: group.members.length, partitions: rows };
  return { value, text: rows.length === 0 ? `${header}\nNo partitions.` : `${header}\n\n${formatTable(rows)}` };
}

/** `--members [--verbose]`: GROUP, CONSUMER-ID, HOST, CLIENT-ID, #PARTITIONS (and ASSIGNMENT). */
export function membersView(group: ConsumerGroupDescription, verbose: boolean): { value: unknown; text: string } {
  const rows: Row[] = group.members.map((m) => ({
    group: group.groupId,
    'consumer-id': m.memberId,
    host: m.clientHost || null,
    'client-id': m.clientId || null,
    '#partitions': m.assignment.reduce((n, t) => n + t.partitions.length, 0),
    ...(verbose ? { epoch: m.memberEpoch, assignment: formatAssignment(m.assignment), 'target-assignment': formatAssignment(m.targetAssignment) } : {}),
  }));
  const value = group.members.map((m) => ({ ...m, memberAssignment: undefined, memberMetadata: undefined }));
  return { value, text: rows.length === 0 ? `Consumer group '${group.groupId}' has no active members.` : formatTable(rows) };
}

/** `--state`: GROUP, COORDINATOR (ID), ASSIGNMENT-STRATEGY, STATE, #MEMBERS. */
function stateView(group: ConsumerGroupDescription): { value: unknown; text: string } {
  const row = { group: group.groupId, 'coordinator (id)': COORDINATOR, 'assignment-strategy': group.protocol, state: group.state, '#members': group.members.length };
  return { value: { ...row, groupEpoch: group.groupEpoch, assignmentEpoch: group.assignmentEpoch }, text: formatTable([row]) };
}

async function topicsToReset(admin: AdminClient, groupId: string, opts: ResetOptions): Promise<TopicSpec[]> {
  const specs = opts.topic ?? [];
  if ((opts.allTopics === true) === specs.length > 0) throw new CliUsageError('Give --topic TOPIC[:PARTITIONS] (repeatable) or --all-topics.');
  if (opts.allTopics !== true) {
    if (opts.partitions !== undefined && specs.length > 1) throw new CliUsageError('--partitions applies to one --topic; write several as --topic t:0,1');
    return specs.map((s) => parseTopicSpec(s, opts.partitions));
  }
  const topics = (await admin.fetchOffsets({ groupId })).map((t) => ({ topic: t.topic }));
  if (topics.length === 0) throw new CliUsageError(`Group '${groupId}' has no committed offsets: name the topics with --topic`);
  return topics;
}

/** Resets per topic (a dry run unless executing), or from the file's offsets. */
async function reset(admin: AdminClient, groupId: string, opts: ResetOptions, dryRun: boolean): Promise<ResetOffsetsReply> {
  if (opts.fromFile !== undefined) return resetFromFile(admin, groupId, opts.fromFile, dryRun);
  const to: ResetTarget = parseResetTarget(opts);
  const offsets: ResetOffsetsReply['offsets'][number][] = [];
  for (const spec of await topicsToReset(admin, groupId, opts)) {
    const reply = await admin.resetOffsets({ groupId, topic: spec.topic, to, dryRun, ...(spec.partitions !== undefined ? { partitions: spec.partitions } : {}) });
    offsets.push(...reply.offsets);
  }
  return { offsets, dryRun };
}

/** --from-file: the file's offsets as they stand (the group must have no live members, checked by a dry run first). */
async function resetFromFile(admin: AdminClient, groupId: string, file: string, dryRun: boolean): Promise<ResetOffsetsReply> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliUsageError(`Cannot read --from-file ${file}: ${(err as Error).message}`);
  }
  const planned: PlannedOffset[] = parseOffsetsCsv(text, file);
  const previous = new Map<string, number | null>();
  for (const topic of new Set(planned.map((p) => p.topic))) {
    const partitions = planned.filter((p) => p.topic === topic).map((p) => p.partition);
    const current = await admin.resetOffsets({ groupId, topic, partitions, to: 'current', dryRun: true });
    for (const o of current.offsets) previous.set(`${o.topic}#${o.partition}`, o.previousOffset);
  }
  if (!dryRun) await admin.alterConsumerGroupOffsets(groupId, planned);
  return { offsets: planned.map((p) => ({ ...p, previousOffset: previous.get(`${p.topic}#${p.partition}`) ?? null })), dryRun };
}

function parseDeleteSpecs(specs: readonly string[] | undefined): TopicSpec[] {
  if (specs === undefined || specs.length === 0) throw new CliUsageError('Give the topics whose offsets to delete: --topic TOPIC[:PARTITIONS] (repeatable)');
  return specs.map((s) => parseTopicSpec(s));
}

export function registerGroups(program: Command): void {
  const groups = program.command('groups').description('list, describe, reset the offsets of, delete the offsets of, and delete consumer groups');
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
    .description("a group's partitions (committed offset, log end offset, lag, owning consumer); --members or --state for kafka-consumer-groups' other views")
    .option('--members', 'one line per member: consumer id, host, client id, number of partitions')
    .option('--verbose', 'with --members: also each member epoch, assignment and target assignment')
    .option('--state', 'one line: coordinator, assignment strategy, state, number of members')
    .action(async (groupId: string, opts: DescribeOptions) => {
      if (opts.members === true && opts.state === true) throw new CliUsageError('Give --members or --state, not both');
      if (opts.verbose === true && opts.members !== true) throw new CliUsageError('--verbose goes with --members');
      const out = createOutput(globals().json === true);
      const group = await describeOne(globals(), groupId);
      const view = opts.members === true ? membersView(group, opts.verbose === true) : opts.state === true ? stateView(group) : offsetsView(group);
      out.result(view.value, () => view.text);
    });

  groups
    .command('reset-offsets <group>')
    .description("move a group's committed offsets (the group must have no live members); a dry run unless --execute")
    .option('--topic <topic[:partitions]>', 'a topic, or topic:0,1,2 for some of its partitions (repeatable)', collect)
    .option('--all-topics', 'every topic the group has committed offsets for')
    .option('--partitions <list>', 'with one --topic: only these partitions, e.g. 0,2,3')
    .option('--to-earliest', 'to the log start offset')
    .option('--to-latest', 'to the log end offset')
    .option('--to-current', 'to the committed offset (the log end where none is): with --export, saves the current position')
    .option('--to-offset <n>', 'to this offset (clamped to the log)')
    .option('--to-datetime <iso>', 'to the first offset at or after this time')
    .option('--shift-by <n>', 'the committed offset moved by n (negative: back), clamped to the log')
    .option('--by-duration <duration>', 'to the first offset at or after now minus this ISO-8601 duration (PnDTnHnMnS)')
    .option('--from-file <file>', 'to the offsets of a CSV file of topic,partition,offset lines (as --export writes)')
    .option('--dry-run', 'only show the new offsets (the default)')
    .option('--execute', 'write the new offsets')
    .option('--export', 'print the plan as CSV (topic,partition,offset), for --from-file')
    .action(async (groupId: string, opts: ResetOptions) => {
      if (opts.execute === true && opts.dryRun === true) throw new CliUsageError('Give --dry-run or --execute, not both');
      const out = createOutput(globals().json === true);
      const reply = await withAdmin(globals(), (admin) => reset(admin, groupId, opts, opts.execute !== true));
      if (opts.export === true && !out.json) {
        process.stdout.write(formatOffsetsCsv(reply.offsets) + '\n');
        return;
      }
      out.result(reply, () => {
        const rows = reply.offsets.map((o) => ({ group: groupId, topic: o.topic, partition: o.partition, 'previous-offset': o.previousOffset, 'new-offset': o.offset }));
        const note = reply.dryRun ? '\n(dry run: nothing was changed; add --execute to apply)' : '';
        return formatTable(rows, ['group', 'topic', 'partition', 'previous-offset', 'new-offset']) + note;
      });
    });

  groups
    .command('delete-offsets <group>')
    .description("delete a group's committed offsets of topics no live member consumes")
    .option('--topic <topic[:partitions]>', 'a topic (all its partitions), or topic:0,1 (repeatable)', collect)
    .action(async (groupId: string, opts: { topic?: string[] }) => {
      const out = createOutput(globals().json === true);
      const topics = parseDeleteSpecs(opts.topic);
      const reply = await withAdmin(globals(), (admin) => admin.deleteGroupOffsets({ groupId, topics }));
      out.result(reply, () => formatTable(reply.partitions.map((p) => ({ topic: p.topic, partition: p.partition, status: 'Successful' }))));
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
