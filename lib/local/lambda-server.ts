/**
 * A local Lambda Invoke API (`POST /2015-03-31/functions/{name}/invocations`)
 * serving functions from their bundle folders, each in its own warm worker
 * threads with its own environment, so `@aws-sdk/client-lambda` with an
 * endpoint override drives it as it drives AWS.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_CREDENTIALS } from '../aws/clients.js';
import { LOCAL_HOST } from './free-port.js';
import { FunctionPool, TooManyInvocationsError, type LocalFunction } from './function-pool.js';
import {
  clientContextOf,
  parseFunctionName,
  readBody,
  sendApiError,
  sendEmpty,
  sendInvocationResult,
  type FunctionRef,
} from './lambda-http.js';
import type { ContextData } from './lambda-protocol.js';
import { localFunctionArn } from './local-names.js';
import { LAMBDA_ASYNC_PAYLOAD_BYTES, LAMBDA_SYNC_PAYLOAD_BYTES } from '../limits.js';

export type { LocalFunction } from './function-pool.js';

export interface LambdaServerOptions {
  readonly functions: readonly LocalFunction[];
  readonly region: string;
  /** Port to listen on; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** The endpoints functions reach AWS services at (as AWS_ENDPOINT_URL_<SERVICE>). */
  readonly endpoints?: { readonly dynamodb?: string; readonly s3?: string };
  /** Variables set over the template's (e.g. a log level). */
  readonly environmentOverrides?: Readonly<Record<string, string>>;
  /** Concurrent executions per function. @default 4 */
  readonly maxWorkersPerFunction?: number;
  /** Invocations that may wait for a busy function before it throttles. @default 1000 */
  readonly maxQueuedPerFunction?: number;
  /** One line per invocation; quiet when omitted. */
  readonly logDebug?: (line: string) => void;
  /** Failures of asynchronous (Event) invocations. @default a line on stderr */
  readonly logError?: (line: string) => void;
}

export interface LambdaServer {
  readonly endpoint: string;
  readonly port: number;
  readonly functionNames: readonly string[];
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
const NODE_RUNTIME = 'AWS_Lambda_nodejs20.x';

export async function startLambdaServer(options: LambdaServerOptions): Promise<LambdaServer> {
  const server = createServer();
  const port = await listen(server, options.port ?? 0);
  const endpoint = `http://${LOCAL_HOST}:${port}`;
  const pools = new Map<string, FunctionPool>();
  try {
    for (const fn of options.functions) {
      if (pools.has(fn.name)) throw new Error(`Two local functions are named ${fn.name}.`);
      pools.set(fn.name, createPool(fn, options, endpoint));
    }
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  const invoker = new Invoker(pools, options);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => void invoker.handle(req, res));
  return {
    endpoint,
    port,
    functionNames: [...pools.keys()],
    close: async () => {
      await Promise.all([closeServer(server), ...[...pools.values()].map((pool) => pool.close())]);
    },
  };
}

function createPool(fn: LocalFunction, options: LambdaServerOptions, endpoint: string): FunctionPool {
  return new FunctionPool({
    fn,
    env: workerEnvironment(fn, options, endpoint),
    maxWorkers: options.maxWorkersPerFunction ?? 4,
    maxQueued: options.maxQueuedPerFunction ?? 1000,
  });
}

/** What a function's process.env holds: its own variables and Lambda's, nothing of this process. */
function workerEnvironment(fn: LocalFunction, options: LambdaServerOptions, lambdaEndpoint: string): Record<string, string> {
  const endpoints: Record<string, string> = { AWS_ENDPOINT_URL_LAMBDA: lambdaEndpoint };
  if (options.endpoints?.dynamodb !== undefined) endpoints.AWS_ENDPOINT_URL_DYNAMODB = options.endpoints.dynamodb;
  if (options.endpoints?.s3 !== undefined) endpoints.AWS_ENDPOINT_URL_S3 = options.endpoints.s3;
  return {
    ...fn.environment,
    ...options.environmentOverrides,
    ...endpoints,
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySizeMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_EXECUTION_ENV: NODE_RUNTIME,
    LAMBDA_TASK_ROOT: fn.codeDir,
    // The local stack runs on this machine's Node; Lambda itself runs 24.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

class Invoker {
  constructor(
    private readonly pools: ReadonlyMap<string, FunctionPool>,
    private readonly options: LambdaServerOptions,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    try {
      await this.route(req, res, requestId);
    } catch (error) {
      if (!res.headersSent) {
        sendApiError(res, requestId, { status: 500, errorType: 'ServiceException', message: describe(error) });
      } else {
        res.destroy();
      }
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = INVOKE_PATH.exec(url.pathname);
    if (req.method !== 'POST' || match === null) {
      req.resume();
      sendApiError(res, requestId, { status: 404, errorType: 'UnknownOperationException', message: `No operation at ${req.method} ${url.pathname}` });
      return;
    }
    const ref = parseFunctionName(decodeURIComponent(match[1] ?? ''), url.searchParams.get('Qualifier'));
    const type = invocationTypeOf(req);
    const pool = this.pools.get(ref.name);
    if (type === undefined) {
      req.resume();
      sendApiError(res, requestId, { status: 400, errorType: 'InvalidParameterValueException', message: `Unknown invocation type ${String(req.headers['x-amz-invocation-type'])}` });
      return;
    }
    if (pool === undefined) {
      req.resume();
      sendApiError(res, requestId, { status: 404, errorType: 'ResourceNotFoundException', message: `Function not found: ${this.arnOf(ref)}` });
      return;
    }
    await this.invoke(req, res, { requestId, ref, type, pool });
  }

  private async invoke(
    req: IncomingMessage,
    res: ServerResponse,
    call: { requestId: string; ref: FunctionRef; type: InvocationType; pool: FunctionPool },
  ): Promise<void> {
    const { requestId, ref, type, pool } = call;
    const limitBytes = type === 'Event' ? LAMBDA_ASYNC_PAYLOAD_BYTES : LAMBDA_SYNC_PAYLOAD_BYTES;
    const body = await readBody(req, limitBytes);
    if (body.tooLarge) {
      const message = `${body.sizeBytes} byte payload is too large for the ${type} invocation type (limit ${limitBytes} bytes)`;
      sendApiError(res, requestId, { status: 413, errorType: 'RequestTooLargeException', message });
      return;
    }
    const event = body.body.length === 0 ? '{}' : body.body.toString('utf8');
    const parseError = jsonError(event);
    if (parseError !== undefined) {
      sendApiError(res, requestId, { status: 400, errorType: 'InvalidRequestContentException', message: `Could not parse request body into json: ${parseError}` });
      return;
    }
    if (type === 'DryRun') {
      sendEmpty(res, requestId, 204);
      return;
    }
    const context = this.contextFor(ref, requestId, clientContextOf(req));
    const started = Date.now();
    if (type === 'Event') {
      sendEmpty(res, requestId, 202);
      void this.runInBackground(pool, { requestId, event, context }, started);
      return;
    }
    await this.runAndReply(res, pool, { requestId, event, context }, started);
  }

  private async runAndReply(
    res: ServerResponse,
    pool: FunctionPool,
    input: { requestId: string; event: string; context: Omit<ContextData, 'deadlineMs'> },
    started: number,
  ): Promise<void> {
    let outcome;
    try {
      outcome = await pool.invoke(input);
    } catch (error) {
      if (!(error instanceof TooManyInvocationsError)) throw error;
      sendApiError(res, input.requestId, { status: 429, errorType: 'TooManyRequestsException', message: error.message });
      this.debug(input, 'RequestResponse', 'throttled', started);
      return;
    }
    if (outcome.ok && Buffer.byteLength(outcome.payload) > LAMBDA_SYNC_PAYLOAD_BYTES) {
      outcome = { ok: false as const, error: responseTooLarge(Buffer.byteLength(outcome.payload)) };
    }
    if (outcome.ok) {
      sendInvocationResult(res, input.requestId, outcome.payload);
      this.debug(input, 'RequestResponse', 'ok', started);
    } else {
      sendInvocationResult(res, input.requestId, JSON.stringify(outcome.error), 'Unhandled');
      this.debug(input, 'RequestResponse', `error ${outcome.error.errorType}`, started);
    }
  }

  private async runInBackground(
    pool: FunctionPool,
    input: { requestId: string; event: string; context: Omit<ContextData, 'deadlineMs'> },
    started: number,
  ): Promise<void> {
    const logError = this.options.logError ?? ((line: string) => process.stderr.write(`${line}\n`));
    try {
      const outcome = await pool.invoke(input);
      if (!outcome.ok) {
        logError(`[lambda] ${input.context.functionName} ${input.requestId} (Event) failed: ${outcome.error.errorType}: ${outcome.error.errorMessage}`);
      }
      this.debug(input, 'Event', outcome.ok ? 'ok' : `error ${outcome.error.errorType}`, started);
    } catch (error) {
      logError(`[lambda] ${input.context.functionName} ${input.requestId} (Event) was not run: ${describe(error)}`);
    }
  }

  private contextFor(ref: FunctionRef, requestId: string, clientContext: unknown): Omit<ContextData, 'deadlineMs'> {
    const fn = this.functionOf(ref.name);
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
    return {
      awsRequestId: requestId,
      functionName: fn.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: this.arnOf(ref),
      memoryLimitInMB: String(fn.memorySizeMb),
      logGroupName: `/aws/lambda/${fn.name}`,
      logStreamName: `${day}/[$LATEST]${requestId.replaceAll('-', '')}`,
      ...(clientContext === undefined ? {} : { clientContext }),
    };
  }

  private functionOf(name: string): LocalFunction {
    const fn = this.options.functions.find((candidate) => candidate.name === name);
    if (fn === undefined) throw new Error(`No local function ${name}`);
    return fn;
  }

  private arnOf(ref: FunctionRef): string {
    const arn = localFunctionArn(this.options.region, ref.name);
    return ref.qualifier === undefined ? arn : `${arn}:${ref.qualifier}`;
  }

  private debug(input: { requestId: string; context: { functionName: string } }, type: string, result: string, started: number): void {
    this.options.logDebug?.(`[lambda] ${input.context.functionName} ${input.requestId} ${type} ${result} ${Date.now() - started}ms`);
  }
}

function invocationTypeOf(req: IncomingMessage): InvocationType | undefined {
  const header = req.headers['x-amz-invocation-type'];
  if (header === undefined || header === '') return 'RequestResponse';
  return header === 'RequestResponse' || header === 'Event' || header === 'DryRun' ? header : undefined;
}

function jsonError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return describe(error);
  }
}

function responseTooLarge(sizeBytes: number): { errorType: string; errorMessage: string; trace: string[] } {
  return {
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size (${sizeBytes} bytes) exceeded maximum allowed payload size (${LAMBDA_SYNC_PAYLOAD_BYTES} bytes).`,
    trace: [],
  };
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`The local Lambda server could not listen on port ${port}: ${error.message}`, { cause: error })),
    );
    server.listen(port, LOCAL_HOST, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
