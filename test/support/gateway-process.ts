/**
 * `kafkaless gateway` as a child process over a test file's tables and
 * bucket (a local-stack state file in a temporary folder names them), so a
 * test can kill it as an operator or a crash would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeLocalStackState } from '../../lib/local/local-state.js';
import type { TestKafkaless } from './embedded.js';
import { testAwsEndpoints } from './services.js';

export interface GatewayProcess {
  /** host:port it listens on. */
  readonly broker: string;
  readonly child: ChildProcess;
  /** Sends the signal and resolves with the exit code (null when killed by the signal). */
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

/** A folder whose state file points the CLI at `t`'s tables and bucket; remove it with `rmSync` when done. */
export function gatewayRoot(t: TestKafkaless): string {
  const root = mkdtempSync(join(tmpdir(), 'kafkaless-gateway-'));
  const endpoints = testAwsEndpoints();
  writeLocalStackState(root, {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    region: endpoints.region,
    endpoints: { dynamodb: endpoints.dynamodb, s3: endpoints.s3, lambda: 'http://127.0.0.1:1' },
    functions: {},
    tables: t.tables,
    bucket: t.bucket,
  });
  return root;
}

export function removeGatewayRoot(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** Starts `kafkaless gateway --port <port> [args]` in `root` and resolves once it listens. */
export async function startGatewayProcess(root: string, port = 0, args: readonly string[] = []): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [resolve('bin/kafkaless.js'), 'gateway', '--port', String(port), ...args], { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  // What the gateway logs as failures shows in the test output.
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const broker = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (\S+:\d+)\./.exec(out);
      if (m) done(m[1]!);
    });
    child.once('exit', (code) => fail(new Error(`kafkaless gateway exited with ${code}: ${out}`)));
  });
  return {
    broker,
    child,
    stop(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      child.kill(signal);
      return exited;
    },
  };
}
