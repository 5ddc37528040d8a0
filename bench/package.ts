/**
 * The package as users get it: how long the build takes, how big the
 * tarball is, how big a minimal producer Lambda's bundle is (beside the same
 * handler written with kafkajs), and how fast `kafkaless --help` starts from
 * the installed package, against `node -e 0` and against the TypeScript
 * sources run through tsx.
 *
 * The tarball is packed (`npm pack`, without scripts: the build just ran)
 * and unpacked into a temporary folder whose node_modules links to this
 * repository's, so nothing is downloaded or installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { fixed, int, printTable } from './table.js';

const projectRoot = dirname(dirname(fileURLToPath(import.meta.url)));

/** A minimal producer Lambda handler: one record per invocation, flushed before it returns. */
const KAFKALESS_HANDLER = `
import { Kafkaless } from 'kafkaless';
const producer = new Kafkaless({ functions: { produce: process.env.KAFKALESS_PRODUCE_FUNCTION } }).producer({ 'linger.ms': 0 });
export const handler = async (event) => {
  const [meta] = await producer.send({ topic: 'orders', messages: [{ key: event.orderId, value: JSON.stringify(event) }] });
  await producer.flush();
  return meta;
};
`;

const KAFKAJS_HANDLER = `
import { Kafka } from 'kafkajs';
const producer = new Kafka({ clientId: 'orders', brokers: [process.env.KAFKA_BROKER] }).producer();
let connected;
export const handler = async (event) => {
  connected ??= producer.connect();
  await connected;
  const [meta] = await producer.send({ topic: 'orders', messages: [{ key: event.orderId, value: JSON.stringify(event) }] });
  return meta;
};
`;

export interface BundleSize {
  readonly label: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** The largest contributors: npm packages by name, kafkaless's own code as `kafkaless`. */
  readonly top: readonly { readonly name: string; readonly bytes: number }[];
}

export interface StartTime {
  readonly label: string;
  readonly medianMs: number;
  readonly runs: number;
}

export interface PackageFigures {
  readonly buildSeconds: number;
  readonly tarballBytes: number;
  readonly unpackedBytes: number;
  readonly files: number;
  readonly bundles: readonly BundleSize[];
  readonly starts: readonly StartTime[];
}

/** Who put a file in the bundle: kafkaless's own (the unpacked package's dist/), an npm package, or the handler. */
function contributor(file: string): string {
  if (file.includes('/package/dist/')) return 'kafkaless';
  return /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1] ?? 'handler';
}

async function bundleSize(label: string, contents: string, resolveDir: string, external: string[]): Promise<BundleSize> {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'js', sourcefile: 'handler.mjs' },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    external,
    outfile: join(resolveDir, 'out.mjs'),
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  const output = Object.values(result.metafile.outputs)[0]!;
  const byName = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = contributor(file);
    byName.set(name, (byName.get(name) ?? 0) + bytesInOutput);
  }
  const top = [...byName].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes).slice(0, 4);
  return { label, bytes: code.byteLength, gzipBytes: gzipSync(code).byteLength, top };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timeRun(args: readonly string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Medians over interleaved runs, so load that comes and goes affects every command alike. */
function startTimes(commands: readonly { label: string; args: readonly string[]; every: number }[], rounds: number): StartTime[] {
  const samples = commands.map(() => [] as number[]);
  for (const command of commands) timeRun(command.args); // warm the file cache
  for (let round = 0; round < rounds; round++) {
    commands.forEach((command, i) => {
      if (round % command.every === 0) samples[i]!.push(timeRun(command.args));
    });
  }
  return commands.map((command, i) => ({ label: command.label, medianMs: median(samples[i]!), runs: samples[i]!.length }));
}

export async function runPackageBench(options: { quick?: boolean } = {}): Promise<PackageFigures> {
  const t0 = Date.now();
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: projectRoot, stdio: 'ignore' });
  const buildSeconds = (Date.now() - t0) / 1000;

  const dir = mkdtempSync(join(tmpdir(), 'kafkaless-bench-package-'));
  try {
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir, '--loglevel=error'], { cwd: projectRoot, encoding: 'utf8' }),
    ) as [{ filename: string; size: number; unpackedSize: number; entryCount: number }];
    const [tarball] = packed;
    execFileSync('tar', ['-xzf', join(dir, tarball.filename), '-C', dir]);
    const pkg = join(dir, 'package');
    symlinkSync(join(projectRoot, 'node_modules'), join(pkg, 'node_modules'), 'dir');
    const user = join(dir, 'user');
    mkdirSync(join(user, 'node_modules'), { recursive: true });
    symlinkSync(pkg, join(user, 'node_modules', 'kafkaless'), 'dir');

    const bundles = [
      await bundleSize('kafkaless, AWS SDK bundled', KAFKALESS_HANDLER, user, []),
      await bundleSize('kafkaless, AWS SDK external', KAFKALESS_HANDLER, user, ['@aws-sdk/*', '@smithy/*']),
      await bundleSize('kafkajs', KAFKAJS_HANDLER, projectRoot, []),
    ];

    const rounds = options.quick === true ? 6 : 20;
    const starts = startTimes(
      [
        { label: 'node -e 0', args: ['-e', '0'], every: 1 },
        { label: 'kafkaless --help (installed package)', args: [join(pkg, 'bin', 'kafkaless.js'), '--help'], every: 1 },
        { label: 'kafkaless --help (sources through tsx)', args: [join(projectRoot, 'bin', 'kafkaless.js'), '--help'], every: 2 },
      ],
      rounds,
    );
    return { buildSeconds, tarballBytes: tarball.size, unpackedBytes: tarball.unpackedSize, files: tarball.entryCount, bundles, starts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kib = (bytes: number): string => fixed(bytes / 1024, 1);

export function printPackage(figures: PackageFigures): void {
  printTable(
    'The package',
    ['build (tsc) s', 'tarball KiB', 'unpacked KiB', 'files'],
    [[fixed(figures.buildSeconds, 1), kib(figures.tarballBytes), kib(figures.unpackedBytes), int(figures.files)]],
    ['build: `npm run build` (what `npm ci` runs through prepare), on this machine as loaded now.'],
  );
  printTable(
    'A minimal producer Lambda handler, bundled (esbuild: minified, platform node, ESM)',
    ['handler', 'KiB', 'gzip KiB', 'largest parts (KiB)'],
    figures.bundles.map((b) => [b.label, kib(b.bytes), kib(b.gzipBytes), b.top.map((t) => `${t.name} ${kib(t.bytes)}`).join(', ')]),
    [
      'kafkaless: the lambda transport, bundled from the packed package. "AWS SDK external" leaves @aws-sdk/* and @smithy/*',
      "to the Lambda runtime, as CDK's NodejsFunction does by default on Node.js 18 and later.",
    ],
  );
  const base = figures.starts[0]!.medianMs;
  printTable(
    'Start time (median wall time of a child process)',
    ['command', 'runs', 'median ms', '/ node -e 0'],
    figures.starts.map((s) => [s.label, int(s.runs), fixed(s.medianMs, 0), `${fixed(s.medianMs / base, 2)}x`]),
  );
}
