import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  InvalidRequestContentException,
  InvokeCommand,
  RequestTooLargeException,
  ResourceNotFoundException,
  type InvokeCommandOutput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaClient, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../lib/aws/clients.js';
import { startLambdaServer, type LambdaServer, type LocalFunction } from '../../lib/local/lambda-server.js';
import { writeBundle } from './fixtures/bundles.js';

const POLL_INTERVAL_MS = 20;
const MAX_POLLS = 500;

let root: string;
let server: LambdaServer;
let lambda: LambdaClient;

function fn(name: string, codeDir: string, overrides: Partial<LocalFunction> = {}): LocalFunction {
  return { name, codeDir, handler: 'index.handler', timeoutSeconds: 30, memorySizeMb: 256, environment: {}, ...overrides };
}

async function invoke(functionName: string, event: unknown): Promise<InvokeCommandOutput> {
  return lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(event) }));
}

function payloadOf(output: InvokeCommandOutput): Record<string, unknown> {
  return JSON.parse(Buffer.from(output.Payload ?? new Uint8Array()).toString('utf8')) as Record<string, unknown>;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kafkaless-lambda-test-'));
  const echo = writeBundle(root, 'echo');
  process.env.KAFKALESS_TEST_PARENT_ONLY = 'visible only to the test process';
  server = await startLambdaServer({
    region: LOCAL_REGION,
    maxWorkersPerFunction: 2,
    endpoints: { dynamodb: 'http://127.0.0.1:1' },
    functions: [
      fn('echo-red', echo, { environment: { COLOR: 'red' } }),
      fn('echo-blue', echo, { environment: { COLOR: 'blue' }, memorySizeMb: 512 }),
      fn('echo-quick', echo, { timeoutSeconds: 1 }),
      fn('fail', writeBundle(root, 'fail')),
      fn('callback', writeBundle(root, 'callback')),
      fn('missing-export', echo, { handler: 'index.nothing' }),
    ],
  });
  lambda = createLambdaClient({
    region: LOCAL_REGION,
    endpoints: { lambda: server.endpoint },
    credentials: { ...LOCAL_CREDENTIALS },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  lambda?.destroy();
  await server?.close();
  delete process.env.KAFKALESS_TEST_PARENT_ONLY;
  rmSync(root, { recursive: true, force: true });
});

describe('local Lambda server', () => {
  it("returns the handler's JSON result for a RequestResponse invocation", async () => {
    const output = await invoke('echo-red', { hello: 'world' });
    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBeUndefined();
    expect(output.ExecutedVersion).toBe('$LATEST');
    const result = payloadOf(output);
    expect(result.event).toEqual({ hello: 'world' });
    expect(result.context).toMatchObject({
      functionName: 'echo-red',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:echo-red',
      remainingPositive: true,
    });
  });

  it('accepts a function ARN and a qualifier as the function name', async () => {
    const output = await lambda.send(
      new InvokeCommand({
        FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:echo-red',
        Qualifier: '$LATEST',
        Payload: JSON.stringify({ via: 'arn' }),
      }),
    );
    expect(payloadOf(output).event).toEqual({ via: 'arn' });
  });

  it('gives each function its own environment and none of the parent process', async () => {
    const red = payloadOf(await invoke('echo-red', {}));
    const blue = payloadOf(await invoke('echo-blue', {}));
    expect(red).toMatchObject({ color: 'red', functionName: 'echo-red', memorySize: '256', region: 'us-east-1' });
    expect(blue).toMatchObject({ color: 'blue', functionName: 'echo-blue', memorySize: '512' });
    expect(red.parentOnly).toBeNull();
    expect(red.nodeOptions).toBeNull();
    expect(red.dynamodbEndpoint).toBe('http://127.0.0.1:1');
  });

  it('keeps a worker warm between invocations', async () => {
    const first = payloadOf(await invoke('echo-blue', {}));
    const second = payloadOf(await invoke('echo-blue', {}));
    expect(second.workerId).toBe(first.workerId);
    expect(second.invocations).toBe((first.invocations as number) + 1);
  });

  it('runs concurrent invocations on at most the per-function number of workers', async () => {
    const outputs = await Promise.all(Array.from({ length: 6 }, () => invoke('echo-red', { sleepMs: 30 })));
    const workers = new Set(outputs.map((output) => payloadOf(output).workerId));
    expect(outputs.every((output) => output.StatusCode === 200)).toBe(true);
    expect(workers.size).toBeLessThanOrEqual(2);
  });

  it('answers 202 to an Event invocation and runs the handler in the background', async () => {
    const marker = join(root, 'event-ran');
    const output = await lambda.send(
      new InvokeCommand({ FunctionName: 'echo-red', InvocationType: 'Event', Payload: JSON.stringify({ writeFile: marker }) }),
    );
    expect(output.StatusCode).toBe(202);
    for (let poll = 0; poll < MAX_POLLS && !existsSync(marker); poll++) await sleep(POLL_INTERVAL_MS);
    expect(existsSync(marker)).toBe(true);
  });

  it('answers 204 to a DryRun invocation', async () => {
    const output = await lambda.send(new InvokeCommand({ FunctionName: 'echo-red', InvocationType: 'DryRun' }));
    expect(output.StatusCode).toBe(204);
  });

  it("reports a throwing handler as an Unhandled function error, in Lambda's shape", async () => {
    const output = await invoke('fail', {});
    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBe('Unhandled');
    const error = payloadOf(output);
    expect(error.errorType).toBe('OrderRejected');
    expect(error.errorMessage).toBe('no such order');
    expect(Array.isArray(error.trace)).toBe(true);
  });

  it('supports callback-style handlers', async () => {
    expect(payloadOf(await invoke('callback', { value: 7 }))).toEqual({ viaCallback: true, value: 7 });
  });

  it('reports a handler that is not exported as Runtime.HandlerNotFound', async () => {
    const output = await invoke('missing-export', {});
    expect(output.FunctionError).toBe('Unhandled');
    expect(payloadOf(output)).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.nothing is undefined or not exported' });
  });

  it('raises ResourceNotFoundException for an unknown function', async () => {
    const error = await invoke('no-such-function', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toBe('Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-function');
  });

  it('raises InvalidRequestContentException for a payload that is not JSON', async () => {
    const error = await lambda
      .send(new InvokeCommand({ FunctionName: 'echo-red', Payload: Buffer.from('{not json') }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestContentException);
  });

  it('raises RequestTooLargeException for a payload over 6 MB', async () => {
    const payload = JSON.stringify({ data: 'x'.repeat(6 * 1024 * 1024) });
    const error = await lambda
      .send(new InvokeCommand({ FunctionName: 'echo-red', Payload: Buffer.from(payload) }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTooLargeException);
  });

  it("enforces the function's timeout and serves the next invocation from a fresh worker", async () => {
    const timedOut = await invoke('echo-quick', { hang: true });
    expect(timedOut.FunctionError).toBe('Unhandled');
    const error = payloadOf(timedOut);
    expect(error.errorType).toBe('Sandbox.Timedout');
    expect(error.errorMessage).toMatch(/Task timed out after 1\.00 seconds$/);
    const next = await invoke('echo-quick', { after: 'timeout' });
    expect(next.FunctionError).toBeUndefined();
    expect(payloadOf(next).invocations).toBe(1);
  });
});
