import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeTimeToLiveCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbClient, createLambdaClient, createS3Client, LOCAL_CREDENTIALS } from '../../lib/aws/clients.js';
import { findFreePort } from '../../lib/local/free-port.js';
import { localStatePath, readLocalStackState, startLocalStack, type LocalStack } from '../../lib/local/local-stack.js';
import { API_KEYS, decodeResponse, encodeRequest } from '../../lib/wire/index.js';
import { WireClient } from '../support/wire-client.js';
import { handMadeTemplate } from './fixtures/template.js';

let projectRoot: string;
let stack: LocalStack | undefined;
let kafkaPort: number;

async function bundleTopicWriter(assemblyDir: string, assetFolder: string): Promise<void> {
  await build({
    entryPoints: [fileURLToPath(new URL('./fixtures/topic-writer.ts', import.meta.url))],
    outfile: join(assemblyDir, assetFolder, 'index.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  });
}

async function startPersistent(): Promise<LocalStack> {
  const assemblyDir = join(projectRoot, 'assembly');
  return startLocalStack({
    projectRoot,
    mode: 'persistent',
    dynamodbPort: await findFreePort(),
    s3Port: await findFreePort(),
    lambdaPort: await findFreePort(),
    kafkaPort,
    assembly: { stackName: 'Kafkaless', template: handMadeTemplate('asset.topicwriter'), assemblyDir },
  });
}

beforeAll(async () => {
  projectRoot = mkdtempSync(join(tmpdir(), 'kafkaless-project-'));
  await bundleTopicWriter(join(projectRoot, 'assembly'), 'asset.topicwriter');
  kafkaPort = await findFreePort();
  stack = await startPersistent();
});

afterAll(async () => {
  await stack?.stop();
  rmSync(projectRoot, { recursive: true, force: true });
});

describe('local stack', () => {
  it('records its endpoints, functions, tables and bucket in the state file', () => {
    const state = readLocalStackState(projectRoot);
    expect(state).toEqual(stack?.state);
    expect(state).toMatchObject({
      pid: process.pid,
      region: 'us-east-1',
      functions: { admin: 'Kafkaless-admin', produce: 'Kafkaless-produce' },
      tables: { topics: 'Kafkaless-TopicsTable1C0B8F3E', groups: 'Kafkaless-GroupsTableB1E5A1D2' },
      bucket: 'kafkaless-kafkaless-bucketlog83908e77',
    });
  });

  it('provisions exactly the tables and bucket the template declares, with TTL', async () => {
    const state = stack!.state;
    const ddb = createDynamoDbClient({ region: state.region, endpoints: { dynamodb: state.endpoints.dynamodb }, credentials: { ...LOCAL_CREDENTIALS } });
    const s3 = createS3Client({ region: state.region, endpoints: { s3: state.endpoints.s3 }, credentials: { ...LOCAL_CREDENTIALS } });
    try {
      const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: state.tables.groups }));
      expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
      await expect(s3.send(new HeadBucketCommand({ Bucket: state.bucket }))).resolves.toBeDefined();
    } finally {
      ddb.destroy();
      s3.destroy();
    }
  });

  it("runs a function's bundle against the local DynamoDB through the Lambda API", async () => {
    const state = stack!.state;
    const lambda = createLambdaClient({ region: state.region, endpoints: { lambda: state.endpoints.lambda }, credentials: { ...LOCAL_CREDENTIALS } });
    const ddb = createDynamoDbClient({ region: state.region, endpoints: { dynamodb: state.endpoints.dynamodb }, credentials: { ...LOCAL_CREDENTIALS } });
    try {
      const output = await lambda.send(
        new InvokeCommand({ FunctionName: state.functions.admin, Payload: JSON.stringify({ name: 'orders' }) }),
      );
      expect(output.FunctionError).toBeUndefined();
      expect(JSON.parse(Buffer.from(output.Payload!).toString())).toEqual({ table: state.tables.topics });
      const { Item } = await ddb.send(new GetItemCommand({ TableName: state.tables.topics, Key: { name: { S: 'orders' } } }));
      expect(Item?.name).toEqual({ S: 'orders' });
    } finally {
      lambda.destroy();
      ddb.destroy();
    }
  });

  it('serves the Kafka protocol over the stack, its address in the state file', async () => {
    expect(readLocalStackState(projectRoot)?.endpoints.kafka).toBe(`127.0.0.1:${kafkaPort}`);
    const c = await WireClient.open('127.0.0.1', kafkaPort);
    c.send(encodeRequest(API_KEYS.Metadata, 12, { correlationId: 3 }, { topics: [] }));
    const [payload] = await c.waitFor(1);
    const { body } = decodeResponse(API_KEYS.Metadata, 12, payload!);
    expect(body.brokers).toEqual([expect.objectContaining({ nodeId: 0, host: '127.0.0.1', port: kafkaPort })]);
    c.end();
  });

  it('refuses a second persistent start in the same project, saying one is already running', async () => {
    await expect(startPersistent()).rejects.toThrow(
      new RegExp(`A local stack is already running for .* \\(pid ${process.pid}, .*Lambda ${stack!.state.endpoints.lambda}`),
    );
  });

  it('removes its state file when stopped', async () => {
    await stack?.stop();
    stack = undefined;
    expect(existsSync(localStatePath(projectRoot))).toBe(false);
    expect(readLocalStackState(projectRoot)).toBeUndefined();
  });
});
