/**
 * `kafkaless subscriptions`: the running local stack's subscriptions
 * (docs/TRIGGERS.md) and their lag per partition. A deployed stack's
 * subscription is its consumer group: `kafkaless groups describe <group> --stack NAME`.
 */
import type { Command } from 'commander';
import { findLocalStackState } from '../../lib/config/local-stack-state.js';
import { findProjectRoot } from '../../lib/infra/project-root.js';
import { subscriptionLag, type PartitionLag } from '../../lib/triggers/subscription-lag.js';
import { CliUsageError, withAdmin, type ConnectOptions } from './connect.js';
import { createOutput, formatTable } from './output.js';

interface GlobalOptions extends ConnectOptions {
  readonly json?: boolean;
}

export function registerSubscriptions(program: Command): void {
  program
    .command('subscriptions')
    .description("the local stack's subscriptions (functions invoked with new records) and their lag per partition")
    .action(async () => {
      const globals = program.opts<GlobalOptions>();
      if (globals.stack !== undefined) {
        throw new CliUsageError('A deployed subscription is its consumer group: `kafkaless groups describe <group> --stack NAME` shows its lag.');
      }
      const local = findLocalStackState(process.cwd(), [findProjectRoot(import.meta.url)]);
      if (local === undefined) throw new CliUsageError('No local stack is running. Start one with `npm start` (or `npx kafkaless local`).');
      const subscriptions = local.state.subscriptions ?? [];
      const out = createOutput(globals.json === true);
      const rows: PartitionLag[] = await withAdmin(globals, async (admin) => (await Promise.all(subscriptions.map((s) => subscriptionLag(admin, s)))).flat());
      out.result(rows, () =>
        subscriptions.length === 0
          ? 'No subscriptions in this stack.'
          : formatTable(
              rows.map((r) => ({ subscription: r.subscription, group: r.groupId, topic: r.topic, partition: r.partition, committed: r.committed < 0 ? '-' : r.committed, 'log-end': r.logEnd, lag: r.lag })),
              ['subscription', 'group', 'topic', 'partition', 'committed', 'log-end', 'lag'],
            ),
      );
    });
}
