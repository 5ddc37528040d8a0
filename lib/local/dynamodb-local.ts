/**
 * AWS's DynamoDB Local, run from the jar that the npm package
 * `amplify-dynamodb-simulator` ships. `-sharedDb` makes every client see the
 * same tables whatever credentials and region it signs with.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient, LOCAL_CREDENTIALS, LOCAL_REGION } from '../aws/clients.js';
import { findJava } from './java.js';
import { LOCAL_HOST } from './free-port.js';

export type DynamoDbStorage = { readonly inMemory: true } | { readonly dbPath: string };

export interface DynamoDbLocalOptions {
  readonly port: number;
  readonly storage: DynamoDbStorage;
  /** How long to wait for the first answer. @default 60_000 */
  readonly startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

const POLL_INTERVAL_MS = 100;
const PROBE_TIMEOUT_MS = 2_000;
const STOP_TIMEOUT_MS = 10_000;
const STDERR_LIMIT_CHARS = 4_000;

/** The folder holding DynamoDBLocal.jar and its native libraries. */
export function dynamoDbLocalDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const java = findJava();
  const dir = dynamoDbLocalDir();
  const storageArgs = 'dbPath' in options.storage ? ['-dbPath', options.storage.dbPath] : ['-inMemory'];
  const args = [
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-sharedDb',
    '-disableTelemetry',
    ...storageArgs,
    '-port',
    String(options.port),
  ];
  const child = spawn(java, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const output = captureStderr(child);
  const exited = exitPromise(child);
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const endpoint = `http://${LOCAL_HOST}:${options.port}`;
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await stopChild(child, exited);
  };
  try {
    await waitUntilReady(endpoint, exited, output, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port: options.port, stop };
}

function captureStderr(child: ChildProcess): { text: string } {
  const output = { text: '' };
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    output.text = (output.text + chunk).slice(-STDERR_LIMIT_CHARS);
  });
  return output;
}

type Exit = { readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly error?: Error };

function exitPromise(child: ChildProcess): Promise<Exit> {
  return new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

async function waitUntilReady(
  endpoint: string,
  exited: Promise<Exit>,
  output: { text: string },
  startTimeoutMs: number,
): Promise<void> {
  let exit: Exit | undefined;
  void exited.then((value) => (exit = value));
  const client = createDynamoDbClient({
    endpoints: { dynamodb: endpoint },
    region: LOCAL_REGION,
    // A copy: the SDK writes attribution fields onto the credentials object.
    credentials: { ...LOCAL_CREDENTIALS },
    maxAttempts: 1,
  });
  const deadline = Date.now() + startTimeoutMs;
  try {
    while (Date.now() < deadline) {
      if (exit !== undefined) throw diedAtStart(exit, output.text);
      if (await answers(client)) return;
      await sleep(POLL_INTERVAL_MS);
    }
  } finally {
    client.destroy();
  }
  throw new Error(`DynamoDB Local did not answer at ${endpoint} within ${startTimeoutMs} ms. ${output.text.trim()}`);
}

async function answers(client: ReturnType<typeof createDynamoDbClient>): Promise<boolean> {
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return true;
  } catch {
    return false;
  }
}

function diedAtStart(exit: Exit, stderr: string): Error {
  const how = exit.error !== undefined ? exit.error.message : `exit code ${exit.code ?? exit.signal}`;
  const detail = stderr.trim() === '' ? '' : `:\n${stderr.trim()}`;
  return new Error(`DynamoDB Local stopped while starting (${how})${detail}`);
}

async function stopChild(child: ChildProcess, exited: Promise<Exit>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
