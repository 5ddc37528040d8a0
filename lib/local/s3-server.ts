/**
 * A local S3: the `s3rver` npm server, path-style, storing objects as files
 * under one directory. It accepts any credentials, as the other local
 * services do.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { LOCAL_HOST } from './free-port.js';

export interface S3ServerOptions {
  readonly port: number;
  /** Where objects are kept; omitted, a temporary directory removed on stop. */
  readonly directory?: string;
}

export interface S3Server {
  readonly endpoint: string;
  readonly port: number;
  readonly directory: string;
  /** Calls `listener` with each S3 event notification (objects created or removed); returns how to stop. */
  onEvent(listener: (notification: unknown) => void): () => void;
  stop(): Promise<void>;
}

export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  acceptAnyAccessKey();
  const temporary = options.directory === undefined;
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'kafkaless-s3-')));
  await mkdir(directory, { recursive: true });
  const server = new S3rver({
    address: LOCAL_HOST,
    port: options.port,
    silent: true,
    directory,
    resetOnClose: false,
    vhostBuckets: false,
  });
  try {
    await server.run();
  } catch (error) {
    if (temporary) await rm(directory, { recursive: true, force: true });
    throw new Error(`The local S3 server could not listen on port ${options.port}: ${describe(error)}`, { cause: error });
  }
  const stop = async (): Promise<void> => {
    await server.close();
    if (temporary) await rm(directory, { recursive: true, force: true });
  };
  const onEvent = (listener: (notification: unknown) => void): (() => void) => {
    server.on('event', listener);
    return () => void server.off('event', listener);
  };
  return { endpoint: `http://${LOCAL_HOST}:${options.port}`, port: options.port, directory, onEvent, stop };
}

interface AccountModule {
  readonly registry: Map<string, unknown>;
  readonly DUMMY_ACCOUNT: unknown;
}

/**
 * s3rver knows one access key ('S3RVER') and refuses others before it looks
 * at a signature (which it does not check for SigV4). Any unknown key is
 * mapped to its one account, so every client is accepted.
 */
function acceptAnyAccessKey(): void {
  const require = createRequire(import.meta.url);
  const accounts = require('s3rver/lib/models/account.js') as AccountModule;
  const registry = accounts.registry;
  const known = Map.prototype.get;
  registry.get = (key: string): unknown => known.call(registry, key) ?? accounts.DUMMY_ACCOUNT;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
