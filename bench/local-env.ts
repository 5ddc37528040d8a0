/**
 * What the end-to-end benchmarks run on: the local stack (`startLocalStack`,
 * ephemeral: the CDK app synthesized, DynamoDB Local and the S3 server, the
 * real Lambda bundles served on the Invoke API), plus AWS clients in this
 * process pointed at the same services, with every request counted. The
 * embedded transport runs the broker's handlers in this process with those
 * counted clients, on the stack's own tables and bucket.
 *
 * The Lambda functions' clients live in worker threads this process cannot
 * instrument; their S3 requests are counted at the S3 server instead (it runs
 * in this process), by HTTP method, through `http.server.request.start`.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createDynamoDbClient, createS3Client, LOCAL_CREDENTIALS, type AwsClients } from '../lib/aws/clients.js';
import { EmbeddedTransport } from '../lib/client/transports/embedded.js';
import { LambdaTransport } from '../lib/client/transports/lambda-transport.js';
import type { Transport } from '../lib/client/transport.js';
import { startLocalStack, type LocalStack } from '../lib/local/local-stack.js';
import { TABLE_ROLES, type TableRole } from '../lib/names.js';
import { RequestCounter } from './request-counter.js';

export interface Endpoints {
  readonly dynamodbEndpoint: string;
  readonly s3Endpoint: string;
  readonly region: string;
}

export interface Namespace {
  readonly tables: Record<TableRole, string>;
  readonly bucket: string;
}

/** Requests the S3 server received, by HTTP method. */
export class S3ServerCounter {
  private counts = new Map<string, number>();
  private readonly onRequest = (message: unknown): void => {
    const { request, server } = message as { request: IncomingMessage; server?: Server };
    const port = (server?.address() as AddressInfo | null)?.port ?? request.socket.localPort;
    if (port !== this.port) return;
    this.counts.set(request.method ?? '?', (this.counts.get(request.method ?? '?') ?? 0) + 1);
  };

  constructor(private readonly port: number) {
    subscribe('http.server.request.start', this.onRequest);
  }

  reset(): void {
    this.counts = new Map();
  }

  count(method: string): number {
    return this.counts.get(method) ?? 0;
  }

  close(): void {
    unsubscribe('http.server.request.start', this.onRequest);
  }
}

export interface BenchStack {
  readonly stack: LocalStack;
  readonly endpoints: Endpoints;
  readonly ns: Namespace;
  /** Counted clients: every request they send is in `counter`. */
  readonly clients: AwsClients;
  readonly counter: RequestCounter;
  readonly s3Server: S3ServerCounter;
  embeddedTransport(): Transport;
  lambdaTransport(): Transport;
  stop(): Promise<void>;
}

export async function startBenchStack(projectRoot: string, log: (line: string) => void): Promise<BenchStack> {
  const stack = await startLocalStack({ projectRoot, mode: 'ephemeral', log });
  const { state } = stack;
  const endpoints = { dynamodbEndpoint: state.endpoints.dynamodb, s3Endpoint: state.endpoints.s3, region: state.region };
  const ns = namespaceOf(state.tables, state.bucket);
  const clients = clientsFor(endpoints);
  const counter = new RequestCounter();
  counter.watchDynamoDb(clients.dynamodb);
  counter.watchS3(clients.s3);
  const s3Server = new S3ServerCounter(Number(new URL(state.endpoints.s3).port));
  const lambda = new LambdaClient({ region: state.region, endpoint: state.endpoints.lambda, credentials: { ...LOCAL_CREDENTIALS }, maxAttempts: 1 });
  return {
    stack,
    endpoints,
    ns,
    clients,
    counter,
    s3Server,
    embeddedTransport: () => new EmbeddedTransport({ dynamodb: clients.dynamodb, s3: clients.s3, tables: ns.tables, bucket: ns.bucket }),
    lambdaTransport: () => new LambdaTransport({ functions: state.functions, client: lambda }),
    async stop() {
      s3Server.close();
      lambda.destroy();
      clients.dynamodb.destroy();
      clients.s3.destroy();
      await stack.stop();
    },
  };
}

function namespaceOf(tables: Partial<Record<TableRole, string>>, bucket: string | undefined): Namespace {
  const missing = TABLE_ROLES.filter((role) => tables[role] === undefined);
  if (missing.length > 0 || bucket === undefined) {
    throw new Error(`The local stack did not report every table and the bucket (missing: ${[...missing, ...(bucket === undefined ? ['bucket'] : [])].join(', ')})`);
  }
  return { tables: tables as Record<TableRole, string>, bucket };
}

/** Uncounted clients for these services (a child process, setup). */
export function clientsFor(endpoints: Endpoints): AwsClients {
  const common = { region: endpoints.region, credentials: { ...LOCAL_CREDENTIALS }, maxAttempts: 3 };
  return {
    dynamodb: createDynamoDbClient({ ...common, endpoints: { dynamodb: endpoints.dynamodbEndpoint } }),
    s3: createS3Client({ ...common, endpoints: { s3: endpoints.s3Endpoint } }),
  };
}
