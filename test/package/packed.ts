/**
 * kafkaless as a user gets it: `npm pack` of this repository (which builds
 * dist/ through the prepare script), installed into an empty project from
 * the npm cache with just the peers the infra entry needs, and the example
 * CDK app (examples/cdk-app) copied into it.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The peers installed beside kafkaless: what `kafkaless/infra` and the example app need. Not the local stack's. */
export const INSTALLED_PEERS = ['aws-cdk-lib', 'constructs', 'cdk-nag', 'esbuild'] as const;

const execFileAsync = promisify(execFile);

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end; a non-zero exit is a result, not an error. */
export async function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? failed.message };
  }
}

export async function runOrThrow(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  const result = await run(command, args, options);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** The exact version of a package installed in this repository, so installs elsewhere hit the npm cache. */
export function repoVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

export const NPM_INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'] as const;

export interface PackedInstall {
  readonly dir: string;
  /** The user's project: kafkaless and INSTALLED_PEERS in node_modules, the example app in example/. */
  readonly app: string;
  /** The paths inside the tarball. */
  readonly files: readonly string[];
  remove(): void;
}

export async function packAndInstall(): Promise<PackedInstall> {
  const dir = mkdtempSync(join(tmpdir(), 'kafkaless-pack-'));
  const { stdout } = await runOrThrow('npm', ['pack', '--json', '--pack-destination', dir, '--loglevel=error'], { cwd: REPO_ROOT });
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
  const tarball = join(dir, readdirSync(dir).find((name) => name === packed.filename)!);

  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'user-app', private: true, type: 'module' }, null, 2));
  const peers = [...INSTALLED_PEERS, '@types/node'].map((name) => `${name}@${repoVersion(name)}`);
  await runOrThrow('npm', [...NPM_INSTALL, tarball, ...peers], { cwd: app });

  const example = join(app, 'example');
  for (const entry of ['bin', 'lib', 'src', 'package.json', 'tsconfig.json']) {
    cpSync(join(REPO_ROOT, 'examples', 'cdk-app', entry), join(example, entry), { recursive: true });
  }
  return { dir, app, files: packed.files.map((file) => file.path), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
