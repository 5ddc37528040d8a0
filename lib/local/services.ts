/**
 * The local AWS services the stack needs: DynamoDB Local and a local S3.
 * Ephemeral services live in memory and temporary files on free ports;
 * persistent ones keep their data under `<dataDir>/.kafkaless/` on fixed
 * ports, so a restart loses nothing.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCAL_DIR, LOCAL_REGION } from '../config/local-stack-state.js';
import { startDynamoDbLocal, type DynamoDbLocal, type DynamoDbStorage } from './dynamodb-local.js';
import { assertPortFree, findFreePort } from './free-port.js';
import { startS3Server, type S3Server } from './s3-server.js';

/** Default ports of a persistent local stack (away from LocalStack's 4566 and DynamoDB Local's 8000). */
export const DEFAULT_PORTS = { dynamodb: 8765, s3: 8766, lambda: 8767 } as const;

export { LOCAL_DIR } from '../config/local-stack-state.js';

export type LocalServicesOptions =
  | { readonly mode: 'ephemeral' }
  | { readonly mode: 'persistent'; readonly dataDir: string; readonly dynamodbPort?: number; readonly s3Port?: number };

export interface LocalServices {
  readonly dynamodbEndpoint: string;
  readonly s3Endpoint: string;
  readonly region: string;
  /** S3 event notifications of the local S3 (as the bucket notifications of a stack send them). */
  onS3Event(listener: (notification: unknown) => void): () => void;
  stop(): Promise<void>;
}

const EPHEMERAL_START_ATTEMPTS = 3;

export async function startLocalServices(options: LocalServicesOptions): Promise<LocalServices> {
  const dynamodb = await startDynamoDb(options);
  let s3: S3Server;
  try {
    s3 = await startS3(options);
  } catch (error) {
    await dynamodb.stop();
    throw error;
  }
  return {
    dynamodbEndpoint: dynamodb.endpoint,
    s3Endpoint: s3.endpoint,
    region: LOCAL_REGION,
    onS3Event: (listener) => s3.onEvent(listener),
    stop: async () => {
      await Promise.all([dynamodb.stop(), s3.stop()]);
    },
  };
}

async function startDynamoDb(options: LocalServicesOptions): Promise<DynamoDbLocal> {
  if (options.mode === 'persistent') {
    const port = options.dynamodbPort ?? DEFAULT_PORTS.dynamodb;
    await assertPortFree(port, 'DynamoDB Local');
    const dbPath = join(options.dataDir, LOCAL_DIR, 'dynamodb');
    await mkdir(dbPath, { recursive: true });
    return startDynamoDbLocal({ port, storage: { dbPath } });
  }
  const storage: DynamoDbStorage = { inMemory: true };
  return retryOnFreePort((port) => startDynamoDbLocal({ port, storage }));
}

async function startS3(options: LocalServicesOptions): Promise<S3Server> {
  if (options.mode === 'persistent') {
    const port = options.s3Port ?? DEFAULT_PORTS.s3;
    await assertPortFree(port, 'the local S3 server');
    return startS3Server({ port, directory: join(options.dataDir, LOCAL_DIR, 's3') });
  }
  return retryOnFreePort((port) => startS3Server({ port }));
}

/** A free port can be taken between choosing it and binding it; try a few. */
async function retryOnFreePort<T>(start: (port: number) => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < EPHEMERAL_START_ATTEMPTS; attempt++) {
    try {
      return await start(await findFreePort());
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
