/**
 * Finds what the CLI talks to: a deployed stack (`--stack NAME`), or else the
 * running local stack, found by its state file under `.kafkaless/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { LOCAL_CREDENTIALS } from '../../lib/aws/clients.js';
import { findProjectRoot } from '../../lib/infra/project-root.js';
import { Kafkaless } from '../../lib/client/kafkaless.js';
import type { FunctionRole } from '../../lib/names.js';

export interface ConnectOptions {
  readonly stack?: string;
  readonly region?: string;
}

export interface LocalStateFile {
  readonly pid: number;
  readonly region: string;
  readonly endpoints: { readonly dynamodb: string; readonly s3: string; readonly lambda: string };
  readonly functions: Partial<Record<FunctionRole, string>>;
}

export class CliUsageError extends Error {}

export const STATE_FILE = join('.kafkaless', 'local.json');

/** The project folder holding a running local stack's state file: from the cwd upwards, then this package. */
export function findLocalState(): { root: string; state: LocalStateFile } | undefined {
  const packageRoot = findProjectRoot(import.meta.url);
  const candidates: string[] = [];
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    candidates.push(dir);
    if (dirname(dir) === dir) break;
  }
  candidates.push(packageRoot);
  for (const root of candidates) {
    const file = join(root, STATE_FILE);
    if (!existsSync(file)) continue;
    try {
      const state = JSON.parse(readFileSync(file, 'utf8')) as LocalStateFile;
      if (isAlive(state.pid)) return { root, state };
    } catch {
      continue;
    }
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function connect(options: ConnectOptions): Kafkaless {
  if (options.stack !== undefined) {
    return new Kafkaless({ stackName: options.stack, ...(options.region !== undefined ? { region: options.region } : {}) });
  }
  const local = findLocalState();
  if (local === undefined) {
    throw new CliUsageError('No local stack is running. Start one with `npm start` (or `npx kafkaless local`), or name a deployed stack with --stack NAME.');
  }
  const lambdaClient = new LambdaClient({
    region: local.state.region,
    endpoint: local.state.endpoints.lambda,
    credentials: { ...LOCAL_CREDENTIALS },
    maxAttempts: 1,
  });
  return new Kafkaless({ functions: local.state.functions, lambdaClient });
}
