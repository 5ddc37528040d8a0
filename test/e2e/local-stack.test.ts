/**
 * The whole system as `npm start` runs it: the synthesized stack's own
 * bundles served on the Lambda Invoke API, over DynamoDB Local and the S3
 * server, driven by the real Lambda client and by the CLI as a child process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../lib/aws/clients.js';
import { Kafkaless } from '../../lib/client/kafkaless.js';
import { partitionForKey } from '../../lib/client/partitioners/index.js';
import { loadRuntimeConfig } from '../../lib/config/runtime-config.js';
import { findFreePort } from '../../lib/local/free-port.js';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.js';
import type { LocalAssembly } from '../../lib/local/synth-stack.js';
import { FUNCTION_ROLES, ENV, envNamesFor, functionConstructId } from '../../lib/names.js';
import { runCli, type CliResult } from '../support/local-cli.js';
import { committedOffsetsOf } from '../../lib/client/admin-groups.js';
import { sharedAssembly } from '../support/shared-assembly.js';

let root: string;
let assembly: LocalAssembly;
let ports: { lambdaPort: number; dynamodbPort: number; s3Port: number; consolePort: number };
let stack: LocalStack;
let lambda: LambdaClient;

async function start(): Promise<LocalStack> {
  return startLocalStack({ projectRoot: root, mode: 'persistent', assembly, ...ports });
}

function client(): Kafkaless {
  return new Kafkaless({ functions: stack.state.functions, lambdaClient: lambda });
}

function cli(args: string[], input?: string): Promise<CliResult> {
  return runCli(root, args, input);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kafkaless-e2e-'));
  assembly = await sharedAssembly();
  ports = { lambdaPort: await findFreePort(), dynamodbPort: await findFreePort(), s3Port: await findFreePort(), consolePort: await findFreePort() };
  stack = await start();
  lambda = new LambdaClient({ region: stack.state.region, endpoint: stack.state.endpoints.lambda, credentials: { ...LOCAL_CREDENTIALS }, maxAttempts: 1 });
}, 240_000);

afterAll(async () => {
  lambda?.destroy();
  await stack?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the contract between the stack and its handlers', () => {
  it('gives every function exactly the environment its handler reads', () => {
    const resources = (assembly.template as { Resources: Record<string, { Type: string; Properties: { Environment?: { Variables: Record<string, unknown> } }; Metadata?: Record<string, string> }> }).Resources;
    for (const role of FUNCTION_ROLES) {
      const [, fn] = Object.entries(resources).find(([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(functionConstructId(role)))!;
      const variables = fn.Properties.Environment!.Variables;
      expect(Object.keys(variables).sort()).toEqual([...envNamesFor(role)].sort());
      const env = Object.fromEntries(Object.keys(variables).map((k) => [k, 'x']));
      expect(() => loadRuntimeConfig(role, env)).not.toThrow();
      for (const name of Object.keys(variables).filter((n) => n !== ENV.logLevel)) {
        const { [name]: _removed, ...without } = env;
        expect(() => loadRuntimeConfig(role, without)).toThrow(name);
      }
    }
  });
});

describe('topics through the Lambda transport', () => {
  it('creates, lists, describes, alters and deletes topics', async () => {
    const k = client();
    const admin = k.admin();
    await admin.createTopics({ topics: [{ topic: 'lambda-topic', numPartitions: 2 }] });
    expect(await admin.listTopics()).toContain('lambda-topic');
    await admin.createPartitions({ topicPartitions: [{ topic: 'lambda-topic', count: 4 }] });
    await admin.alterConfigs({ topics: [{ topic: 'lambda-topic', configEntries: [{ name: 'retention.ms', value: '1000' }] }] });
    const [d] = await admin.describeTopics({ topics: ['lambda-topic'] });
    expect(d!.partitions).toHaveLength(4);
    expect(d!.configs).toEqual({ 'retention.ms': '1000' });
    await admin.deleteTopics({ topics: ['lambda-topic'] });
    expect(await admin.listTopics()).not.toContain('lambda-topic');
    await expect(admin.createTopics({ topics: [{ topic: 'x', numPartitions: 0 }] })).rejects.toMatchObject({ code: 'InvalidPartitions' });
    await k.close();
  });

  it('answers malformed event JSON sent straight to a function with a typed error', async () => {
    for (const role of ['admin', 'produce', 'fetch'] as const) {
      const out = await lambda.send(new InvokeCommand({ FunctionName: stack.state.functions[role], Payload: Buffer.from('"not an object"') }));
      expect(out.FunctionError).toBeUndefined();
      const reply = JSON.parse(Buffer.from(out.Payload!).toString()) as { ok: boolean; error: { code: string } };
      expect(reply).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
    }
  });

  it('produces and fetches every codec through the deployed bundles', async () => {
    const k = client();
    await k.admin().createTopics({ topics: [{ topic: 'codecs' }] });
    const producer = k.producer({ 'linger.ms': 0 });
    for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
      await producer.send({ topic: 'codecs', compression, messages: [{ value: `hello ${compression}`.repeat(20) }] });
    }
    await producer.disconnect();
    const consumer = k.consumer({ 'auto.offset.reset': 'earliest' });
    consumer.assign([{ topic: 'codecs', partition: 0 }]);
    const records = await consumer.poll({ timeoutMs: 500 });
    expect(records.map((r) => r.value!.toString().split(' ')[1]!.replace(/hello$/, ''))).toEqual(['none', 'gzip', 'snappy', 'lz4', 'zstd']);
    await k.close();
  });
});

describe('the CLI against the running local stack', () => {
  it('manages topics as kafka-topics does, with exit codes scripts can trust', async () => {
    expect((await cli(['topics', 'create', 'cli-topic', '--partitions', '3', '--config', 'cleanup.policy=compact'])).code).toBe(0);
    const listed = await cli(['--json', 'topics', 'list']);
    expect(JSON.parse(listed.stdout)).toContain('cli-topic');
    const described = await cli(['--json', 'topics', 'describe', 'cli-topic']);
    expect(JSON.parse(described.stdout)[0].partitions).toHaveLength(3);
    expect((await cli(['topics', 'alter', 'cli-topic', '--partitions', '5'])).code).toBe(0);
    const bad = await cli(['topics', 'create', 'cli-topic']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('TopicAlreadyExists');
    expect((await cli(['topics', 'create'])).code).toBe(2);
    expect((await cli(['topics', 'delete', 'cli-topic'])).code).toBe(0);
  });

  it('produces 10,000 lines and consumes them back identical and in order per partition', async () => {
    expect((await cli(['topics', 'create', 'lines', '--partitions', '4'])).code).toBe(0);
    const lines = Array.from({ length: 10_000 }, (_, i) => `key${i % 97}:value-${i}`);
    const produced = await cli(['--json', 'produce', 'lines', '--key-separator', ':'], lines.join('\n') + '\n');
    expect(produced.code, produced.stderr).toBe(0);
    expect(JSON.parse(produced.stdout).records).toBe(10_000);
    const consumed = await cli(['--json', 'consume', 'lines', '--from-beginning', '--timeout-ms', '3000', '--max-messages', '10000']);
    expect(consumed.code, consumed.stderr).toBe(0);
    const records = consumed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { partition: number; offset: number; key: string; value: string });
    expect(records).toHaveLength(10_000);
    for (let p = 0; p < 4; p++) {
      const expected = lines.filter((l) => partitionForKey(Buffer.from(l.split(':')[0]!), 4) === p);
      const got = records.filter((r) => r.partition === p);
      expect(got.map((r) => `${r.key}:${r.value}`)).toEqual(expected);
      expect(got.map((r) => r.offset)).toEqual(got.map((_, i) => i));
    }
  });
});

describe('consumer groups through the CLI', () => {
  it('shares a topic between two consume --group processes, commits, and shows no lag afterwards', async () => {
    const [a, b] = await Promise.all([
      cli(['--json', 'consume', 'lines', '--group', 'readers', '--from-beginning', '--timeout-ms', '8000']),
      cli(['--json', 'consume', 'lines', '--group', 'readers', '--from-beginning', '--timeout-ms', '8000']),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const seen = new Set(
      [a.stdout, b.stdout]
        .flatMap((out) => out.trim().split('\n').filter((l) => l !== ''))
        .map((l) => JSON.parse(l) as { partition: number; offset: number })
        .map((r) => `${r.partition}:${r.offset}`),
    );
    expect(seen.size).toBe(10_000);
    const described = await cli(['--json', 'groups', 'describe', 'readers']);
    expect(described.code, described.stderr).toBe(0);
    const text = described.stdout;
    const lags = [...text.matchAll(/"lag":\s*(\d+)/g)].map((m) => Number(m[1]));
    expect(lags.length).toBeGreaterThan(0);
    expect(lags.every((l) => l === 0)).toBe(true);
  });
});

describe('consume --group --max-messages', () => {
  it('commits exactly the records it printed, so the next run of the group starts after them', async () => {
    expect((await cli(['topics', 'create', 'counted', '--partitions', '1'])).code).toBe(0);
    const produced = await cli(['produce', 'counted'], Array.from({ length: 500 }, (_, i) => `c${i}`).join('\n') + '\n');
    expect(produced.code, produced.stderr).toBe(0);
    const offsetsOf = (out: string) => out.trim().split('\n').map((l) => (JSON.parse(l) as { offset: number }).offset);
    const first = await cli(['--json', 'consume', 'counted', '--group', 'counter', '--from-beginning', '--max-messages', '50']);
    expect(first.code, first.stderr).toBe(0);
    expect(offsetsOf(first.stdout)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(committedOffsetsOf(await client().admin().fetchOffsets({ groupId: 'counter' })).map((o) => o.offset)).toEqual([50]);
    const second = await cli(['--json', 'consume', 'counted', '--group', 'counter', '--max-messages', '50']);
    expect(second.code, second.stderr).toBe(0);
    expect(offsetsOf(second.stdout)).toEqual(Array.from({ length: 50 }, (_, i) => 50 + i));
    expect(committedOffsetsOf(await client().admin().fetchOffsets({ groupId: 'counter' })).map((o) => o.offset)).toEqual([100]);
  });

  it('commits where it started on a partition it printed nothing from, so the next run reads what arrived there since', async () => {
    expect((await cli(['topics', 'create', 'two-sided', '--partitions', '2'])).code).toBe(0);
    expect((await cli(['produce', 'two-sided', '--partition', '0'], 'a\nb\nc\n')).code).toBe(0);
    const first = await cli(['consume', 'two-sided', '--group', 'sides', '--from-beginning', '--max-messages', '3']);
    expect(first.stdout).toBe('a\nb\nc\n');
    expect((await cli(['produce', 'two-sided', '--partition', '1'], 'd\ne\n')).code).toBe(0);
    const second = await cli(['consume', 'two-sided', '--group', 'sides', '--max-messages', '2', '--timeout-ms', '10000']);
    expect(second.stdout).toBe('d\ne\n');
  });

  it('refuses an unknown topic as consume without --group does', async () => {
    const unknown = await cli(['consume', 'no-such-topic', '--group', 'sides', '--max-messages', '1']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/UnknownTopicOrPartition: Topic 'no-such-topic' does not exist/);
  });
});

describe('the web console', () => {
  it('is served on its port and answers from the stack through its functions', async () => {
    const url = `http://127.0.0.1:${ports.consolePort}`;
    expect(stack.state.endpoints.console).toBe(url);
    await client().admin().createTopics({ topics: [{ topic: 'console-seen', numPartitions: 3 }] });
    const topics = (await (await fetch(`${url}/api/topics`)).json()) as { topics: { name: string; partitions: number }[] };
    expect(topics.topics).toContainEqual(expect.objectContaining({ name: 'console-seen', partitions: 3 }));
    const view = await fetch(`${url}/topics/console-seen`);
    expect([view.status, view.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect((await fetch(`${url}/topics/not-there`)).status).toBe(404);
  });
});

describe('restarts', () => {
  it('refuses a second start while one runs, saying so', async () => {
    await expect(start()).rejects.toThrow(/already running/);
  });

  it('keeps topics across a stop and a start', async () => {
    await client().admin().createTopics({ topics: [{ topic: 'durable', numPartitions: 2 }] });
    lambda.destroy();
    await stack.stop();
    stack = await start();
    lambda = new LambdaClient({ region: stack.state.region, endpoint: stack.state.endpoints.lambda, credentials: { ...LOCAL_CREDENTIALS }, maxAttempts: 1 });
    expect(await client().admin().listTopics()).toContain('durable');
  });
});
