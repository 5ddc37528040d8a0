/**
 * `npm run proof -- --ops N [--seed S] [--gateway]`: starts its own local
 * services (DynamoDB Local, s3rver), runs the seeded workload under faults
 * (with `--gateway`, through two gateway processes driven by Kafka clients,
 * one of them killed and restarted mid-run), checks the history, prints the
 * summary, and ends with exactly one line
 * `proof: <N> operations, <F> faults injected, <A> anomalies`. Exit status
 * 1 when anomalies were found.
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { startLocalServices } from '../../lib/local/services.js';
import { createDeployment, type Deployment } from './deployment.js';
import { describeAnomalies, replayCommand, summarize, verdict } from './summary.js';
import { runGatewayWorkload } from './gateway-workload.js';
import { runWorkload, type WorkloadResult } from './workload.js';

export const DEFAULT_OPS = 100_000;
/** The gateway proof's default: each operation is a Kafka client's request through a gateway process. */
export const DEFAULT_GATEWAY_OPS = 20_000;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

interface ProofArgs {
  ops?: number;
  gateway: boolean;
  kill: boolean;
  seed?: number;
  producers: number;
  readers: number;
  groupMembers: number;
  partitions: number;
  stormMs: number;
  faultScale: number;
  stallMs: number;
  groupShare: number;
  txnShare: number;
  transactionalProducers: number;
  maintenance: boolean;
  readShare: number;
  historyOut?: string;
}

function parseArgs(argv: readonly string[]): ProofArgs {
  const program = new Command('proof')
    .description('Seeded workload under injected faults, checked against kafkaless invariants')
    .option('--ops <n>', `operations: produce sends, reads and group calls (default ${DEFAULT_OPS}; ${DEFAULT_GATEWAY_OPS} with --gateway)`, positiveInt)
    .option('--gateway', 'drive the workload with Kafka clients (kafkajs, @platformatic/kafka) through two gateway processes')
    .option('--no-kill', 'with --gateway: kill no gateway mid-run')
    .option('--seed <s>', 'seed (default: random)', nonNegativeInt)
    .option('--producers <n>', 'producers, each its own embedded broker', positiveInt, 4)
    .option('--readers <n>', 'readers', nonNegativeInt, 2)
    .option('--group-members <n>', 'consumer group members', nonNegativeInt, 3)
    .option('--partitions <n>', 'partitions of the topic', positiveInt, 4)
    .option('--storm-ms <ms>', 'length of the error storm', nonNegativeInt, 5_000)
    .option('--fault-scale <x>', 'multiplies every fault rate (0 for a fault-free baseline)', nonNegative, 1)
    .option('--read-share <x>', 'share of operations that are reads', nonNegative, 0.2)
    .option('--group-share <x>', 'share of operations that are consumer group calls', nonNegative, 0.1)
    .option('--transactional-producers <n>', 'transactional producers (0: no transactions)', nonNegativeInt, 2)
    .option('--txn-share <x>', 'share of operations that are transactions (or read_committed reads of their topic)', nonNegative, 0.1)
    .option('--no-maintenance', 'run no maintenance during the workload')
    .option('--history-out <file>', 'write the history as JSON lines (always written to the temp directory when anomalies are found)')
    .option('--stall-ms <ms>', 'an operation not settled after this long is reported as stalled', positiveInt, 300_000)
    .parse(argv, { from: 'user' });
  const opts = program.opts<ProofArgs>();
  return { ...opts, gateway: opts.gateway === true };
}

function progressPrinter(): (done: number, total: number) => void {
  let shown = -1;
  const started = performance.now();
  return (done, total) => {
    const tenth = Math.floor((done * 10) / total);
    if (tenth === shown) return;
    shown = tenth;
    const seconds = (performance.now() - started) / 1000;
    console.error(`  ${tenth * 10} % (${done} operations, ${seconds.toFixed(0)} s)`);
  };
}

/** The native workload, or with --gateway the one through two gateway processes. */
async function runChosen(args: ProofArgs, deployment: Deployment, ops: number, seed: number): Promise<WorkloadResult> {
  const common = {
    deployment,
    ops,
    seed,
    stormMs: args.stormMs,
    faultScale: args.faultScale,
    stallMs: args.stallMs,
    readShare: args.readShare,
    groupShare: args.groupShare,
    txnShare: args.txnShare,
    maintenance: args.maintenance,
    onProgress: progressPrinter(),
  };
  if (!args.gateway) {
    return runWorkload({
      ...common,
      producers: args.producers,
      readers: args.readers,
      groupMembers: args.groupMembers,
      partitions: args.partitions,
      transactionalProducers: args.transactionalProducers,
    });
  }
  const r = await runGatewayWorkload({ ...common, kill: args.kill });
  const sends = Object.entries(r.sendsBy).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`gateways: 2 processes, ${r.gatewayKills} killed (SIGKILL) and restarted; produce sends by ${sends}; their logs: ${r.gatewayLogs.join(', ')}`);
  return r;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const seed = args.seed ?? Math.floor(Math.random() * 2 ** 31);
  const ops = args.ops ?? (args.gateway ? DEFAULT_GATEWAY_OPS : DEFAULT_OPS);
  console.error(`${ops} operations${args.gateway ? ' through two gateways' : ''}, seed ${seed}: starting local services…`);
  const services = await startLocalServices({ mode: 'ephemeral' });
  try {
    const deployment = await createDeployment({ dynamodb: services.dynamodbEndpoint, s3: services.s3Endpoint, region: services.region });
    const result = await runChosen(args, deployment, ops, seed);
    console.log(summarize(result));
    const historyFile = args.historyOut ?? (result.anomalies.length > 0 ? join(tmpdir(), `kafkaless-proof-${seed}.jsonl`) : undefined);
    if (historyFile !== undefined) {
      await writeFile(historyFile, result.history.events.map((e) => JSON.stringify(e)).join('\n'));
      console.log(`history: ${historyFile}`);
    }
    if (result.anomalies.length > 0) {
      console.log(`anomalies found:\n${describeAnomalies(result.anomalies)}`);
      console.log(`replay: ${replayCommand(ops, seed)}${args.gateway ? ' --gateway' : ''}`);
    }
    console.log(verdict(result));
    return result.anomalies.length > 0 ? 1 : 0;
  } finally {
    await services.stop();
  }
}

process.exitCode = await main().catch((err: unknown) => {
  console.error(err);
  // Workers of a run that broke may still be retrying against services that are gone: they must not keep the process alive.
  setTimeout(() => process.exit(2), 1_000).unref();
  return 2;
});
