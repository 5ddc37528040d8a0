/**
 * `npm run bench`: kafkaless's benchmarks for the log, printed as tables
 * (figures are never asserted). docs/BENCHMARKS.md says how each is taken.
 *
 *   npm run bench                      every section (4 to 7 minutes on 2 cores)
 *   npm run bench -- --quick           a smoke run of every section (1.5 to 3 minutes)
 *   npm run bench -- --only e2e,floor  some sections: codec, e2e, floor, memory, gateway, package
 *   npm run bench -- --only maintenance   a benchmark kept in its own file (maintenance, groups,
 *                                      transactions, subscriptions, connect), run only when named and present in the tree
 *
 * e2e, floor, memory and gateway share one local stack (startLocalStack, ephemeral).
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCodecBench } from './codec.js';
import { runFlows } from './e2e.js';
import { printCosts, printRequests, printThroughput } from './e2e-report.js';
import { printFloor, runFloor } from './floor.js';
import { runGatewayBench } from './gateway.js';
import { printGateway } from './gateway-report.js';
import { printGatewayCost, runGatewayCosts } from './gateway-cost.js';
import { startBenchStack, type BenchStack } from './local-env.js';
import { runHandlerMemory } from './memory-handler.js';
import { runProducerMemory } from './memory-producer.js';
import { printHandlerMemory, printProducerMemory } from './memory-report.js';
import { printPackage, runPackageBench } from './package.js';

/** Sections of this file, run by default. */
const OWN_SECTIONS = ['codec', 'e2e', 'floor', 'memory', 'gateway', 'package'] as const;

/** Benchmarks kept in files of their own: run only when named with --only, and only when the file is there. */
const EXTERNAL_SECTIONS = {
  maintenance: { file: 'maintenance.ts', run: 'runMaintenanceBench' },
  groups: { file: 'groups.ts', run: 'runGroupsBench' },
  transactions: { file: 'transactions.ts', run: 'runTransactionsBench' },
  subscriptions: { file: 'subscriptions.ts', run: 'runSubscriptionsBench' },
  connect: { file: 'connect.ts', run: 'runConnectBench' },
} as const;

export const SECTIONS = [...OWN_SECTIONS, ...(Object.keys(EXTERNAL_SECTIONS) as (keyof typeof EXTERNAL_SECTIONS)[])] as const;
export type Section = (typeof OWN_SECTIONS)[number] | keyof typeof EXTERNAL_SECTIONS;

export interface BenchOptions {
  readonly quick: boolean;
  readonly sections: readonly Section[];
}

const benchDir = dirname(fileURLToPath(import.meta.url));
const projectRoot = dirname(benchDir);

const isExternal = (section: Section): section is keyof typeof EXTERNAL_SECTIONS => section in EXTERNAL_SECTIONS;
const externalModule = (section: keyof typeof EXTERNAL_SECTIONS): string => join(benchDir, EXTERNAL_SECTIONS[section].file);

export function parseArgs(argv: readonly string[]): BenchOptions {
  let quick = false;
  const only: Section[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') quick = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      for (const name of (value ?? '').split(',').filter((s) => s !== '')) {
        if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`Unknown section '${name}': use ${SECTIONS.join(', ')}`);
        only.push(name as Section);
      }
    } else if (arg === '--help' || arg === '-h') {
      console.log(`npm run bench -- [--quick] [--only ${SECTIONS.join(',')}]`);
      process.exit(0);
    } else throw new Error(`Unknown argument '${arg}': use --quick and --only <${SECTIONS.join('|')}>`);
  }
  for (const section of only) {
    if (isExternal(section) && !existsSync(externalModule(section))) throw new Error(`The ${section} benchmark (bench/${EXTERNAL_SECTIONS[section].file}) is not in this tree`);
  }
  return { quick, sections: only.length > 0 ? [...new Set(only)] : [...OWN_SECTIONS] };
}

const log = (line: string): void => console.log(line);

const formatLoad = (): string => loadavg().map((l) => l.toFixed(2)).join(', ');

function heading(title: string): void {
  console.log(`\n=== ${title} ===`);
}

type ExternalBench = (options?: { quick?: boolean }) => Promise<void>;

async function runExternal(section: keyof typeof EXTERNAL_SECTIONS, options: BenchOptions): Promise<void> {
  const { run } = EXTERNAL_SECTIONS[section];
  const module = (await import(pathToFileURL(externalModule(section)).href)) as Record<string, ExternalBench | undefined>;
  const bench = module[run];
  if (bench === undefined) throw new Error(`bench/${EXTERNAL_SECTIONS[section].file} does not export ${run}()`);
  await bench({ quick: options.quick });
}

async function runSection(section: Section, options: BenchOptions, stack: () => Promise<BenchStack>): Promise<void> {
  const started = Date.now();
  if (isExternal(section)) {
    heading(section[0]!.toUpperCase() + section.slice(1));
    await runExternal(section, options);
    log(`\n(${section}: ${((Date.now() - started) / 1000).toFixed(0)} s; load average ${formatLoad()})`);
    return;
  }
  switch (section) {
    case 'codec':
      heading('Record batch codec');
      await runCodecBench(options.quick ? { iterations: 20 } : {});
      break;
    case 'e2e': {
      heading('End to end on the local stack');
      const { results, failures } = await runFlows(await stack(), options.quick, log);
      printThroughput(results, failures);
      printRequests(results);
      printCosts(results);
      break;
    }
    case 'floor':
      heading('The floor');
      printFloor(await runFloor(await stack(), options.quick, log));
      break;
    case 'memory': {
      heading('Memory');
      const env = await stack();
      printHandlerMemory(await runHandlerMemory(env, log));
      log(`  producer pushing ${options.quick ? '100 MiB' : '1 GiB'} ...`);
      printProducerMemory(await runProducerMemory(env, options.quick));
      break;
    }
    case 'gateway':
      heading('The Kafka gateway beside the native client');
      printGateway(await runGatewayBench(await stack(), options.quick, log));
      printGatewayCost(await runGatewayCosts(await stack(), options.quick, log));
      break;
    case 'package':
      heading('The package: build, bundle size, CLI start');
      printPackage(await runPackageBench({ quick: options.quick }));
      break;
  }
  log(`\n(${section}: ${((Date.now() - started) / 1000).toFixed(0)} s; load average ${formatLoad()})`);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const cpu = cpus();
  console.log(
    `kafkaless benchmarks — ${new Date().toISOString()} — node ${process.version}, ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'}), ` +
      `${(totalmem() / 2 ** 30).toFixed(0)} GiB — ${options.quick ? 'quick' : 'full'} run: ${options.sections.join(', ')}`,
  );
  log(`Load average at start: ${formatLoad()} (other work on the machine skews every figure; compare runs on a quiet machine).`);
  let started: Promise<BenchStack> | undefined;
  const stack = (): Promise<BenchStack> => {
    started ??= (async () => {
      log('Starting the local stack (synthesized CDK app, DynamoDB Local, S3 server, Lambda bundles) ...');
      return startBenchStack(projectRoot, () => undefined);
    })();
    return started;
  };
  const t0 = Date.now();
  try {
    for (const section of options.sections) await runSection(section, options, stack);
  } finally {
    if (started !== undefined) await (await started).stop();
  }
  log(`\nTotal: ${((Date.now() - t0) / 1000).toFixed(0)} s. Load average at the end: ${formatLoad()}.`);
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  // A producer whose flow failed may still hold retry timers: the run is over, so leave.
  await main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
