/**
 * `kafkaless connect list | status NAME | pause NAME | resume NAME | restart NAME`:
 * the local stack's connectors (docs/CONNECT.md), managed as Kafka
 * Connect's REST API manages them; `--json` prints the REST API's shapes.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Command } from 'commander';
import { createDynamoDbClient } from '../../lib/aws/clients.js';
import { findLocalStackState, LOCAL_CREDENTIALS, type LocalStackState } from '../../lib/config/local-stack-state.js';
import { ConnectorAdmin } from '../../lib/connect/connector-admin.js';
import type { ConnectorStatus } from '../../lib/connect/connector-status.js';
import { findProjectRoot } from '../../lib/infra/project-root.js';
import { ConnectorStore } from '../../lib/storage/connector-store.js';
import { CliUsageError, withAdmin, type ConnectOptions } from './connect.js';
import { createOutput, formatTable } from './output.js';

interface GlobalOptions extends ConnectOptions {
  readonly json?: boolean;
}

function localState(globals: GlobalOptions): LocalStackState {
  if (globals.stack !== undefined) throw new CliUsageError('`kafkaless connect` manages the local stack\'s connectors; a deployed stack\'s are not listed yet (a sink\'s offsets are its group: `kafkaless groups describe connect-<name> --stack NAME`).');
  const local = findLocalStackState(process.cwd(), [findProjectRoot(import.meta.url)]);
  if (local === undefined) throw new CliUsageError('No local stack is running. Start one with `npm start` (or `npx kafkaless local`).');
  return local.state;
}

async function withConnectors<T>(globals: GlobalOptions, work: (connectors: ConnectorAdmin) => Promise<T>): Promise<T> {
  const state = localState(globals);
  const common = { region: state.region, credentials: { ...LOCAL_CREDENTIALS } };
  const dynamodb = createDynamoDbClient({ ...common, endpoints: { dynamodb: state.endpoints.dynamodb } });
  const lambda = new LambdaClient({ ...common, endpoint: state.endpoints.lambda, maxAttempts: 1 });
  const trigger = state.functions.trigger;
  try {
    return await withAdmin(globals, (admin) =>
      work(
        new ConnectorAdmin(
          {
            store: new ConnectorStore(dynamodb, state.tables.partitions ?? ''),
            admin,
            wake: async (event) => {
              if (trigger === undefined) return;
              await lambda.send(new InvokeCommand({ FunctionName: trigger, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) }));
            },
            invokeConnector: async (functionName, event) => {
              await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) }));
            },
            now: Date.now,
          },
          state.connectors ?? [],
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
  const connect = program.command('connect').description("the local stack's connectors: list, status, pause, resume, restart (as Kafka Connect's REST API)");
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
