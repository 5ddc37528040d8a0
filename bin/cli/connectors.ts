/**
 * `kafkaless connect list | status NAME | pause NAME | resume NAME | restart NAME`:
 * a stack's connectors (docs/CONNECT.md), managed as Kafka Connect's REST
 * API manages them; `--json` prints the REST API's shapes. The local
 * stack's are listed in its state file, a deployed stack's (`--stack NAME`)
 * in its Connectors output; either way the same ConnectorAdmin reads and
 * writes their state in the partitions table and invokes their functions.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { Command } from 'commander';
import { createDynamoDbClient, createLambdaClient, type AwsClientOptions } from '../../lib/aws/clients.js';
import { connectorsFromOutputs, readStackOutputs, type StackConnectors } from '../../lib/client/stack-outputs.js';
import { findLocalStackState, LOCAL_CREDENTIALS } from '../../lib/config/local-stack-state.js';
import { ConnectorAdmin } from '../../lib/connect/connector-admin.js';
import type { ConnectorStatus } from '../../lib/connect/connector-status.js';
import { findProjectRoot } from '../../lib/infra/project-root.js';
import { ConnectorStore } from '../../lib/storage/connector-store.js';
import { CliUsageError, withAdmin, type ConnectOptions } from './connect.js';
import { createOutput, formatTable } from './output.js';

interface GlobalOptions extends ConnectOptions {
  readonly json?: boolean;
}

/** The connectors of the stack the options name, and how to reach its table and functions. */
interface ConnectorTargets extends StackConnectors {
  readonly aws: AwsClientOptions;
}

async function targetsOf(globals: GlobalOptions): Promise<ConnectorTargets> {
  if (globals.stack !== undefined) {
    const region = globals.region !== undefined ? { region: globals.region } : {};
    // The user's credentials and region, as every --stack command.
    return { ...connectorsFromOutputs(globals.stack, await readStackOutputs(globals.stack, region)), aws: region };
  }
  const local = findLocalStackState(process.cwd(), [findProjectRoot(import.meta.url)]);
  if (local === undefined) throw new CliUsageError('No local stack is running. Start one with `npm start` (or `npx kafkaless local`), or name a deployed stack with --stack NAME.');
  const { state } = local;
  return {
    connectors: state.connectors ?? [],
    partitionsTable: state.tables.partitions ?? '',
    ...(state.functions.trigger !== undefined ? { triggerFunction: state.functions.trigger } : {}),
    aws: { region: state.region, endpoints: { dynamodb: state.endpoints.dynamodb, lambda: state.endpoints.lambda }, credentials: { ...LOCAL_CREDENTIALS } },
  };
}

async function withConnectors<T>(globals: GlobalOptions, work: (connectors: ConnectorAdmin) => Promise<T>): Promise<T> {
  const targets = await targetsOf(globals);
  const dynamodb = createDynamoDbClient(targets.aws);
  // Locally, one attempt: the local Lambda server is there or not.
  const lambda = createLambdaClient({ ...targets.aws, ...(globals.stack === undefined ? { maxAttempts: 1 } : {}) });
  const invoke = async (functionName: string, event: unknown): Promise<void> => {
    await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) }));
  };
  const trigger = targets.triggerFunction;
  try {
    return await withAdmin(globals, (admin) =>
      work(
        new ConnectorAdmin(
          {
            store: new ConnectorStore(dynamodb, targets.partitionsTable),
            admin,
            wake: async (event) => {
              if (trigger !== undefined) await invoke(trigger, event);
            },
            invokeConnector: invoke,
            now: Date.now,
          },
          targets.connectors,
        ),
      ),
    );
  } finally {
    dynamodb.destroy();
    lambda.destroy();
  }
}

function taskSummary(status: ConnectorStatus): string {
  const counts = new Map<string, number>();
  for (const t of status.tasks) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  return [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
}

export function registerConnectors(program: Command): void {
  const connect = program.command('connect').description("the running local stack's connectors, or a deployed one's with --stack (with this machine's AWS credentials): list, status, pause, resume, restart (as Kafka Connect's REST API)");
  const out = () => createOutput(program.opts<GlobalOptions>().json === true);

  connect
    .command('list')
    .description('the declared connectors and their states')
    .action(async () => {
      const rows = await withConnectors(program.opts<GlobalOptions>(), (c) => c.list());
      out().result(rows, () =>
        rows.length === 0 ? 'No connectors in this stack.' : formatTable(rows.map((r) => ({ name: r.name, type: r.type, state: r.connector.state, tasks: taskSummary(r) })), ['name', 'type', 'state', 'tasks']),
      );
    });

  connect
    .command('status <name>')
    .description("a connector's state, its tasks' (with a failed task's trace), and a sink's lag per partition")
    .action(async (name: string) => {
      const s = await withConnectors(program.opts<GlobalOptions>(), (c) => c.status(name));
      out().result(s, () => {
        const lines = [`${s.name} (${s.connectorClass}, ${s.type}): ${s.connector.state}`, `topics: ${s.topicsRegex !== undefined ? `/${s.topicsRegex}/` : s.topics.join(', ')}`, ''];
        lines.push(formatTable(s.tasks.map((t) => ({ task: t.id, state: t.state, worker: t.worker_id })), ['task', 'state', 'worker']));
        for (const t of s.tasks) if (t.trace !== undefined) lines.push('', `task ${t.id} failed:`, t.trace);
        if (s.lag !== undefined && s.lag.length > 0) {
          lines.push('', formatTable(s.lag.map((r) => ({ topic: r.topic, partition: r.partition, committed: r.committed < 0 ? '-' : r.committed, 'log-end': r.logEnd, lag: r.lag })), ['topic', 'partition', 'committed', 'log-end', 'lag']));
        }
        return lines.join('\n');
      });
    });

  for (const [verb, description] of [
    ['pause', 'stop a connector: its tasks hold their records until resumed'],
    ['resume', 'run a paused connector again; it catches up at once'],
    ['restart', 'restart its failed tasks: they read again from the committed offsets'],
  ] as const) {
    connect
      .command(`${verb} <name>`)
      .description(description)
      .action(async (name: string) => {
        const s = await withConnectors(program.opts<GlobalOptions>(), (c) => c[verb](name));
        out().result(s, () => `${s.name}: ${s.connector.state} (${taskSummary(s)})`);
      });
  }
}
