/**
 * `kafkaless local` runs an app's declared connectors, each function served
 * from the bundle CDK built for it: an S3 sink whose records reach the
 * app's bucket as Confluent-named objects, managed by the `kafkaless connect`
 * CLI (found by the state file: list, pause, resume, status; or by a
 * stack's outputs with --stack, from a CloudFormation endpoint); a DynamoDB
 * source capturing an app table's change through its stream mapping; an S3
 * source told of an object by the local S3's notification.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient, createS3Client, LOCAL_CREDENTIALS } from '../../lib/aws/clients.js';
import { fetchRecords } from '../../lib/triggers/partition-log.js';
import { Kafkaless as Client } from '../../lib/client/kafkaless.js';
import { LambdaTransport } from '../../lib/client/transports/lambda-transport.js';
import { ASSET_METADATA_CONTEXT } from '../../lib/infra/app.js';
import { Kafkaless } from '../../lib/infra/kafkaless.js';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.js';
import { markBundlesCommonJsScope } from '../../lib/local/synth-stack.js';
import { findFreePort } from '../../lib/local/free-port.js';
import { waitFor } from '../groups/wait-for.js';
import { OUTPUTS, type FunctionRole } from '../../lib/names.js';
import { startFakeCloudFormation } from '../support/fake-cloudformation.js';
import { runCli } from '../support/local-cli.js';

const REPO = resolve(import.meta.dirname, '../..');
const TOPIC = 'clicks';
const CHANGES = 'customers';
const UPLOADS = 'uploads';

let dir: string;
let stack: LocalStack;
let client: Client;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kafkaless-connector-'));
  const app = new App({ outdir: join(dir, 'cdk.out'), context: { [ASSET_METADATA_CONTEXT]: true, 'aws:cdk:enable-path-metadata': true } });
  const cdkStack = new Stack(app, 'Lake');
  const kafkaless = new Kafkaless(cdkStack, 'Kafkaless', { projectRoot: REPO });
  const bucket = new Bucket(cdkStack, 'Lake', { removalPolicy: RemovalPolicy.DESTROY });
  kafkaless.connect('clicks-lake', { bucket, config: { 'connector.class': 'S3Sink', topics: TOPIC, 'flush.size': 3 } });
  const customers = new Table(cdkStack, 'Customers', { partitionKey: { name: 'id', type: AttributeType.STRING }, stream: StreamViewType.NEW_AND_OLD_IMAGES, removalPolicy: RemovalPolicy.DESTROY });
  kafkaless.connect('customers-cdc', { table: customers, config: { 'connector.class': 'DynamoDbSource', topic: CHANGES } });
  const uploads = new Bucket(cdkStack, 'Uploads', { removalPolicy: RemovalPolicy.DESTROY });
  kafkaless.connect('uploads', { bucket: uploads, config: { 'connector.class': 'S3Source', topic: UPLOADS, 's3.prefix': 'in/' } });
  const assembly = app.synth();
  markBundlesCommonJsScope(assembly.directory);
  // Persistent (on free ports), so the state file is written and `kafkaless connect` finds the stack from `dir`.
  stack = await startLocalStack({
    projectRoot: dir,
    mode: 'persistent',
    assembly: { stackName: 'Lake', template: assembly.getStackByName('Lake').template as unknown, assemblyDir: assembly.directory },
    lambdaPort: await findFreePort(),
    dynamodbPort: await findFreePort(),
    s3Port: await findFreePort(),
    kafkaPort: 0,
    consolePort: 0,
  });
  const { state } = stack;
  client = new Client({ transport: new LambdaTransport({ functions: state.functions, region: state.region, endpoint: state.endpoints.lambda, credentials: { ...LOCAL_CREDENTIALS } }) });
}, 600_000);

afterAll(async () => {
  await client?.close();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('writes the records produced to the sink bucket, flush.size at a time; kafkaless connect lists, pauses, resumes and reports it', async () => {
  expect(stack.state.connectors).toEqual(
    expect.arrayContaining([
      { name: 'clicks-lake', connectorClass: 'S3Sink', topics: [TOPIC], tasksMax: 1, groupId: 'connect-clicks-lake', functionName: expect.any(String) },
      { name: 'customers-cdc', connectorClass: 'DynamoDbSource', topics: [CHANGES], tasksMax: 1, groupId: 'connect-customers-cdc', functionName: expect.any(String) },
      { name: 'uploads', connectorClass: 'S3Source', topics: [UPLOADS], tasksMax: 1, groupId: 'connect-uploads', functionName: expect.any(String) },
    ]),
  );
  const lake = stack.template.buckets.find((b) => b.logicalId.startsWith('Lake'))?.bucketName;
  expect(lake).toBeDefined();
  await client.admin().createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }] });
  const producer = client.producer();
  await producer.send({ topic: TOPIC, messages: [0, 1, 2, 3].map((n) => ({ value: JSON.stringify({ n }), partition: 0 })) });
  await producer.disconnect();

  const s3 = createS3Client({ region: stack.state.region, endpoints: { s3: stack.state.endpoints.s3 }, credentials: { ...LOCAL_CREDENTIALS } });
  try {
    const keys = async (): Promise<string[]> => ((await s3.send(new ListObjectsV2Command({ Bucket: lake }))).Contents ?? []).map((o) => o.Key ?? '');
    await waitFor(async () => (await keys()).length === 1, 'the first flush in the lake', 120_000, 200);
    expect(await keys()).toEqual([`topics/${TOPIC}/partition=0/${TOPIC}+0+0000000000.json`]);
    const body = await (await s3.send(new GetObjectCommand({ Bucket: lake, Key: (await keys())[0] }))).Body!.transformToString();
    expect(body).toBe('{"n":0}\n{"n":1}\n{"n":2}\n');
    const [committed] = await client.admin().fetchOffsets({ groupId: 'connect-clicks-lake', topics: [TOPIC] });
    expect(committed?.partitions.map((p) => Number(p.offset))).toEqual([3]);

    // kafkaless connect, found by the state file: paused, the sink holds what arrives; resumed, it catches up at once.
    const listed = await runCli(dir, ['--json', 'connect', 'list']);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { name: string; type: string }[]).map((c) => `${c.name} ${c.type}`).sort()).toEqual(['clicks-lake sink', 'customers-cdc source', 'uploads source']);
    expect((await runCli(dir, ['connect', 'pause', 'clicks-lake'])).stdout).toContain('clicks-lake: PAUSED');
    const more = client.producer();
    await more.send({ topic: TOPIC, messages: [4, 5].map((n) => ({ value: JSON.stringify({ n }), partition: 0 })) });
    await more.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await keys()).toHaveLength(1);
    expect((await runCli(dir, ['connect', 'resume', 'clicks-lake'])).code).toBe(0);
    await waitFor(async () => (await keys()).length === 2, 'the second flush after resume', 60_000, 200);
    const status = JSON.parse((await runCli(dir, ['--json', 'connect', 'status', 'clicks-lake'])).stdout) as { connector: { state: string }; lag: { committed: number; lag: number }[] };
    expect(status.connector.state).toBe('RUNNING');
    expect(status.lag).toEqual([expect.objectContaining({ committed: 6, lag: 0 })]);
  } finally {
    s3.destroy();
  }
}, 300_000);

it('kafkaless connect --stack NAME manages the same connectors, found by the stack\'s outputs (a CloudFormation endpoint answering with the local names)', async () => {
  const { state } = stack;
  // What DescribeStacks answers for a deployed KafkalessStack: the construct's Connectors output is the state file's list (test/infra/connectors.test.ts).
  const outputs: Record<string, string> = { [OUTPUTS.tableName('partitions')]: state.tables.partitions ?? '', [OUTPUTS.connectors]: JSON.stringify(state.connectors) };
  for (const [role, name] of Object.entries(state.functions)) outputs[OUTPUTS.functionName(role as FunctionRole)] = name;
  const cloudformation = await startFakeCloudFormation('Lake', outputs);
  // No state file here: the stack is found by --stack alone, reached with the SDK's endpoint variables and the "user's" credentials.
  const elsewhere = mkdtempSync(join(tmpdir(), 'kafkaless-deployed-'));
  const env = {
    AWS_ENDPOINT_URL_CLOUDFORMATION: cloudformation.endpoint,
    AWS_ENDPOINT_URL_LAMBDA: state.endpoints.lambda,
    AWS_ENDPOINT_URL_DYNAMODB: state.endpoints.dynamodb,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
  const deployed = (args: string[], stackName = 'Lake') => runCli(elsewhere, ['--stack', stackName, '--region', state.region, ...args], undefined, env);
  try {
    const listed = await deployed(['--json', 'connect', 'list']);
    expect(listed.stderr).toBe('');
    expect((JSON.parse(listed.stdout) as { name: string; type: string }[]).map((c) => `${c.name} ${c.type}`).sort()).toEqual(['clicks-lake sink', 'customers-cdc source', 'uploads source']);
    expect((await deployed(['connect', 'pause', 'clicks-lake'])).stdout).toContain('clicks-lake: PAUSED');
    // The same state: the local command sees the pause.
    expect((JSON.parse((await runCli(dir, ['--json', 'connect', 'status', 'clicks-lake'])).stdout) as { connector: { state: string } }).connector.state).toBe('PAUSED');
    expect((await deployed(['connect', 'resume', 'clicks-lake'])).stdout).toContain('clicks-lake: RUNNING');
    const status = JSON.parse((await deployed(['--json', 'connect', 'status', 'clicks-lake'])).stdout) as { connector: { state: string }; lag: { committed: number; lag: number }[] };
    expect(status.connector.state).toBe('RUNNING');
    expect(status.lag).toEqual([expect.objectContaining({ committed: 6, lag: 0 })]);
    const unknown = await deployed(['connect', 'status', 'nope']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('Connector nope not found');
    const other = await deployed(['connect', 'list'], 'Other');
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain("Could not read stack 'Other'");
  } finally {
    await cloudformation.close();
    rmSync(elsewhere, { recursive: true, force: true });
  }
}, 120_000);

it("captures the app table's changes into a topic through the table's stream mapping", async () => {
  const table = stack.template.tables.find((t) => t.logicalId.startsWith('Customers'))?.tableName;
  expect(table).toBeDefined();
  await client.admin().createTopics({ topics: [{ topic: CHANGES, numPartitions: 1 }] });
  const ddb = createDynamoDbClient({ region: stack.state.region, endpoints: { dynamodb: stack.state.endpoints.dynamodb }, credentials: { ...LOCAL_CREDENTIALS } });
  try {
    await ddb.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'c-1' }, name: { S: 'Ada' } } }));
  } finally {
    ddb.destroy();
  }
  let records: { key: string; value: unknown }[] = [];
  await waitFor(async () => {
    const fetched = await fetchRecords(client.transport, { topic: CHANGES, partition: 0 }, 0, 10);
    records = fetched.kind === 'records' ? fetched.records.map((r) => ({ key: r.key?.toString() ?? '', value: JSON.parse(r.value?.toString() ?? 'null') as unknown })) : [];
    return records.length === 1;
  }, 'the change record', 120_000, 200);
  expect(records[0]).toEqual({ key: '{"id":"c-1"}', value: expect.objectContaining({ op: 'c', before: null, after: { id: 'c-1', name: 'Ada' } }) });
}, 300_000);

it('reads the lines of an object put under the S3 source\'s prefix, told by the local S3\'s notification', async () => {
  const bucket = stack.template.buckets.find((b) => b.logicalId.startsWith('Uploads'))?.bucketName;
  expect(bucket).toBeDefined();
  await client.admin().createTopics({ topics: [{ topic: UPLOADS, numPartitions: 1 }] });
  const s3 = createS3Client({ region: stack.state.region, endpoints: { s3: stack.state.endpoints.s3 }, credentials: { ...LOCAL_CREDENTIALS } });
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'in/day 1.txt', Body: 'first\nsecond\n' }));
  } finally {
    s3.destroy();
  }
  let values: string[] = [];
  await waitFor(async () => {
    const fetched = await fetchRecords(client.transport, { topic: UPLOADS, partition: 0 }, 0, 10);
    values = fetched.kind === 'records' ? fetched.records.map((r) => `${r.key?.toString()}: ${r.value?.toString()}`) : [];
    return values.length === 2;
  }, 'the object\'s lines', 120_000, 200);
  expect(values).toEqual(['in/day 1.txt: first', 'in/day 1.txt: second']);
}, 300_000);
