/**
 * The consumer-group benchmark: on the local services (DynamoDB Local and the
 * S3 server, ephemeral), groups of 3, 10 and 30 members, each member its own
 * embedded broker, consume a 60-partition topic while a producer keeps
 * producing. It measures the time from a membership change (a member joins,
 * one leaves cleanly, one dies) to a stable new assignment, the consumption
 * pause of every partition that moved, and the heartbeats, DynamoDB requests
 * and cost per member at steady state. docs/BENCHMARKS.md says how.
 *
 *   npx tsx bench/groups.ts            3, 10 and 30 members (about 4 minutes on 2 cores)
 *   npx tsx bench/groups.ts --quick    3 and 10 members, shorter windows (under a minute)
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { heartbeatIntervalFor } from '../lib/broker/groups/defaults.js';
import { startGroupsEnv } from './groups-env.js';
import { printRebalances, printSteadyState, type ReportContext } from './groups-report.js';
import { runScenario, type ScenarioResult } from './groups-scenario.js';

export interface GroupsBenchOptions {
  readonly quick?: boolean;
}

const PARTITIONS = 60;
const SESSION_TIMEOUT_MS = 3_000;
const PRODUCE_INTERVAL_MS = 200;

const log = (line: string): void => console.log(line);
const formatLoad = (): string => loadavg().map((l) => l.toFixed(2)).join(', ');

export async function runGroupsBench(options: GroupsBenchOptions = {}): Promise<void> {
  const quick = options.quick === true;
  const sizes = quick ? [3, 10] : [3, 10, 30];
  const startedMs = Date.now();
  log(`Consumer groups: ${sizes.join(', ')} members on ${PARTITIONS} partitions${quick ? ' (quick)' : ''}; load average ${formatLoad()}`);
  log('  starting DynamoDB Local and the S3 server ...');
  const env = await startGroupsEnv({ partitions: PARTITIONS, produceIntervalMs: PRODUCE_INTERVAL_MS });
  const results: ScenarioResult[] = [];
  try {
    for (const size of sizes) {
      results.push(
        await runScenario(
          env,
          { size, sessionTimeoutMs: SESSION_TIMEOUT_MS, steadyMs: quick ? 6_000 : 20_000, settleMs: quick ? 1_000 : 2_000, stableTimeoutMs: 60_000 },
          log,
        ),
      );
    }
    const producedPerSecond = env.produced() / ((Date.now() - startedMs) / 1000);
    const ctx: ReportContext = {
      partitions: PARTITIONS,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: heartbeatIntervalFor(SESSION_TIMEOUT_MS),
      produceIntervalMs: PRODUCE_INTERVAL_MS,
    };
    printRebalances(results, ctx);
    printSteadyState(results, ctx);
    log(`\nProduced about ${producedPerSecond.toFixed(0)} records/s over the run. Load average at the end: ${formatLoad()}.`);
  } finally {
    await env.stop();
  }
  log(`(consumer groups: ${((Date.now() - startedMs) / 1000).toFixed(0)} s)`);
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--quick');
  if (unknown.length > 0) {
    console.error(`Unknown argument '${unknown[0]}': use --quick`);
    process.exit(2);
  }
  await runGroupsBench({ quick: args.includes('--quick') });
}
