/**
 * The consumer-group benchmark: on the local services (DynamoDB Local and the
 * S3 server, ephemeral), groups of 10, 30 and 300 members heartbeating every
 * second (session.timeout.ms 3000) and of 10, 30, 300 and 1,000 members
 * heartbeating every 5 s (session.timeout.ms 15000), each member its own
 * embedded broker, consume a 60-partition topic while a producer keeps
 * producing. It measures the time from a membership change (a member joins,
 * one leaves cleanly, one dies) to a stable new assignment, the consumption
 * pause of every partition that moved, and the heartbeats, DynamoDB requests
 * and write units per heartbeat and per commit, and cost per member at
 * steady state, beside the figures recorded for the design before member
 * items held their own targets (bench/groups-baseline.ts). docs/BENCHMARKS.md
 * says how.
 *
 *   npx tsx bench/groups.ts                    every group (about 25 minutes on 2 cores)
 *   npx tsx bench/groups.ts --quick            10 members at 1 s beats, shorter windows (about a minute)
 *   npx tsx bench/groups.ts --sizes 10,30,300  only groups of these sizes
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { startGroupsEnv } from './groups-env.js';
import { printBaseline } from './groups-baseline.js';
import { printRebalances, printSteadyState, type ReportContext } from './groups-report.js';
import { runScenario, warmUp, type ScenarioPlan, type ScenarioResult } from './groups-scenario.js';

export interface GroupsBenchOptions {
  readonly quick?: boolean;
  /** Only groups of these sizes (default: all). */
  readonly sizes?: readonly number[];
}

const PARTITIONS = 60;
/** Short enough to see a dead member expire quickly: heartbeats every second. */
const SHORT_SESSION_MS = 3_000;
/** Heartbeats every 5 s, Kafka's default interval (the coordinator tells members a third of the session, at most 5 s). */
const LONGER_SESSION_MS = 15_000;
const PRODUCE_INTERVAL_MS = 500;

interface Run {
  readonly size: number;
  readonly sessionTimeoutMs: number;
}

const FULL_RUNS: readonly Run[] = [
  { size: 10, sessionTimeoutMs: SHORT_SESSION_MS },
  { size: 30, sessionTimeoutMs: SHORT_SESSION_MS },
  { size: 300, sessionTimeoutMs: SHORT_SESSION_MS },
  { size: 10, sessionTimeoutMs: LONGER_SESSION_MS },
  { size: 30, sessionTimeoutMs: LONGER_SESSION_MS },
  { size: 300, sessionTimeoutMs: LONGER_SESSION_MS },
  { size: 1000, sessionTimeoutMs: LONGER_SESSION_MS },
];
const QUICK_RUNS: readonly Run[] = [{ size: 10, sessionTimeoutMs: SHORT_SESSION_MS }];

const log = (line: string): void => console.log(line);
const formatLoad = (): string => loadavg().map((l) => l.toFixed(2)).join(', ');

export async function runGroupsBench(options: GroupsBenchOptions = {}): Promise<void> {
  const quick = options.quick === true;
  const runs = (quick ? QUICK_RUNS : FULL_RUNS).filter((r) => options.sizes === undefined || options.sizes.includes(r.size));
  const startedMs = Date.now();
  log(`Consumer groups: ${runs.map((r) => r.size).join(', ')} members on ${PARTITIONS} partitions${quick ? ' (quick)' : ''}; load average ${formatLoad()}`);
  log('  starting DynamoDB Local and the S3 server ...');
  const env = await startGroupsEnv({ partitions: PARTITIONS, produceIntervalMs: PRODUCE_INTERVAL_MS });
  const results: ScenarioResult[] = [];
  const plan = (run: Run): ScenarioPlan => ({
    ...run,
    steadyMs: quick ? 5_000 : Math.max(15_000, 2 * run.sessionTimeoutMs),
    settleMs: 1_000,
    catchUpTimeoutMs: 5_000,
    // Large groups form one join at a time (each join is a group step); a death takes a session to notice.
    stableTimeoutMs: 20_000 + 2 * run.sessionTimeoutMs + 60 * run.size,
  });
  try {
    log('  warming up (a throwaway group of 3) ...');
    await warmUp(env, plan({ size: 3, sessionTimeoutMs: SHORT_SESSION_MS }), quick ? 2_000 : 10_000);
    for (const run of runs) results.push(await runScenario(env, plan(run), log));
    const producedPerSecond = env.produced() / ((Date.now() - startedMs) / 1000);
    const ctx: ReportContext = { partitions: PARTITIONS, produceIntervalMs: PRODUCE_INTERVAL_MS };
    printRebalances(results, ctx);
    printSteadyState(results);
    printBaseline();
    log(`\nProduced about ${producedPerSecond.toFixed(0)} records/s over the run. Load average at the end: ${formatLoad()}.`);
  } finally {
    await env.stop();
  }
  log(`(consumer groups: ${((Date.now() - startedMs) / 1000).toFixed(0)} s)`);
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--sizes');
  const sizes = at >= 0 ? (args[at + 1] ?? '').split(',').map(Number) : undefined;
  const unknown = args.filter((a, i) => a !== '--quick' && !(at >= 0 && (i === at || i === at + 1)));
  if (unknown.length > 0 || sizes?.some((n) => !Number.isInteger(n) || n <= 0)) {
    console.error(`Unknown argument '${unknown[0] ?? args[at + 1]}': use --quick and --sizes N,M`);
    process.exit(2);
  }
  await runGroupsBench({ quick: args.includes('--quick'), ...(sizes !== undefined ? { sizes } : {}) });
}
