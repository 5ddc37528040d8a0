/**
 * A local stack as `npm start` runs it, in a temporary project folder, and
 * the `kafkaless` CLI run against it as a child process (it finds the stack
 * by the state file in that folder).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { LOCAL_CREDENTIALS } from '../../lib/aws/clients.js';
import { Kafkaless } from '../../lib/client/kafkaless.js';
import { findFreePort } from '../../lib/local/free-port.js';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../lib/local/local-stack.js';
import type { LocalAssembly } from '../../lib/local/synth-stack.js';
import { sharedAssembly } from './shared-assembly.js';

const run = promisify(execFile);
const CLI = resolve('bin/kafkaless.js');

export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** Runs the CLI in `cwd` (stdin from `input` when given, `env` added to this process's); never throws for a non-zero exit. */
export async function runCli(cwd: string, args: readonly string[], input?: string, env: Readonly<Record<string, string>> = {}): Promise<CliResult> {
  const child = run(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NODE_NO_WARNINGS: '1', ...env }, maxBuffer: 64 * 1024 * 1024 });
  child.child.stdin!.end(input ?? '');
  try {
    const { stdout, stderr } = await child;
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

export interface CliStack {
  readonly root: string;
  readonly assembly: LocalAssembly;
  readonly stack: LocalStack;
  /** A client of the stack through the Lambda API, as a user's code. */
  readonly kafkaless: Kafkaless;
  cli(args: readonly string[], input?: string): Promise<CliResult>;
  close(): Promise<void>;
}

/** Starts the stack synthesized for this run (shared-assembly.ts) in a temporary project folder, on free ports (the Kafka gateway too, when `kafkaPort` is given). */
export async function startCliStack(extra: Pick<LocalStackOptions, 'kafkaPort' | 'kafkaUsers'> = {}): Promise<CliStack> {
  const root = mkdtempSync(join(tmpdir(), 'kafkaless-cli-'));
  const assembly = await sharedAssembly();
  const stack = await startLocalStack({
    projectRoot: root,
    mode: 'persistent',
    assembly,
    lambdaPort: await findFreePort(),
    dynamodbPort: await findFreePort(),
    s3Port: await findFreePort(),
    ...extra,
  });
  const lambda = new LambdaClient({ region: stack.state.region, endpoint: stack.state.endpoints.lambda, credentials: { ...LOCAL_CREDENTIALS }, maxAttempts: 1 });
  const kafkaless = new Kafkaless({ functions: stack.state.functions, lambdaClient: lambda });
  return {
    root,
    assembly,
    stack,
    kafkaless,
    cli: (args, input) => runCli(root, args, input),
    async close() {
      await kafkaless.close();
      lambda.destroy();
      await stack.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
