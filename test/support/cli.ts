/** Runs the kafkaless CLI as a child process in `cwd` (where it finds the local stack's state), feeding `input` on stdin. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = resolve('bin/kafkaless.js');

export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

export async function runCli(cwd: string, args: readonly string[], input?: string): Promise<CliResult> {
  const child = run(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NODE_NO_WARNINGS: '1' }, maxBuffer: 64 * 1024 * 1024 });
  child.child.stdin!.end(input ?? '');
  try {
    const { stdout, stderr } = await child;
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}
