/**
 * The project's CDK app synthesized once per test run, for the test files
 * that serve the real stack locally (startLocalStack's `assembly`). The first
 * file to ask synthesizes into the run's folder (the global setup's); the
 * others wait for it and read the same cloud assembly, whose bundles the
 * local Lambda server only reads.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { synthesizeStack, type LocalAssembly } from '../../lib/local/synth-stack.js';

/** How often a waiting file looks for the other file's result. */
const POLL_MS = 100;

type Outcome = { readonly ok: true; readonly assembly: LocalAssembly } | { readonly ok: false; readonly error: string };

/** The stack synthesized for this run, as `synthesizeStack` returns it (a fresh copy of its template for each caller). */
export async function sharedAssembly(): Promise<LocalAssembly> {
  const runDir = inject('kafkalessRunDir') as string | undefined;
  if (runDir === undefined) {
    throw new Error("No run folder: add globalSetup: ['test/support/global-setup.ts'] to the vitest config.");
  }
  const dir = join(runDir, 'assembly');
  const resultFile = join(dir, 'result.json');
  const lock = join(dir, 'lock');
  mkdirSync(dir, { recursive: true });
  if (claim(lock)) {
    writeFileSync(join(lock, 'pid'), String(process.pid));
    const outcome = await synthesizeStack(join(dir, 'cdk.out')).then(
      (assembly): Outcome => ({ ok: true, assembly }),
      (error: unknown): Outcome => ({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
    writeFileSync(`${resultFile}.tmp`, JSON.stringify(outcome));
    renameSync(`${resultFile}.tmp`, resultFile);
  }
  for (;;) {
    if (existsSync(resultFile)) {
      const outcome = JSON.parse(readFileSync(resultFile, 'utf8')) as Outcome;
      if (!outcome.ok) throw new Error(`Synthesizing the stack for this run failed:\n${outcome.error}`);
      return outcome.assembly;
    }
    const owner = ownerPid(lock);
    if (owner !== undefined && !alive(owner)) throw new Error(`The test process that was synthesizing the stack for this run (pid ${owner}) is gone`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** True for the one caller that creates the lock folder. */
function claim(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The pid of the process synthesizing, once it has written it. */
function ownerPid(lock: string): number | undefined {
  const file = join(lock, 'pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8'));
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
