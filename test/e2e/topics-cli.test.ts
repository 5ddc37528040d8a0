/**
 * The topic commands as Kafka's scripts are used (kafka-topics, kafka-configs,
 * kafka-get-offsets, kafka-delete-records), run as a child process against
 * the local stack the way `npm start` serves it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../lib/aws/clients.js';
import { Kafkaless } from '../../lib/client/kafkaless.js';
import { findFreePort } from '../../lib/local/free-port.js';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.js';
import { sharedAssembly } from '../support/shared-assembly.js';

const run = promisify(execFile);
const CLI = resolve('bin/kafkaless.js');

let root: string;
let stack: LocalStack;
let lambda: LambdaClient;
let kafkaless: Kafkaless;

async function cli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kafkaless-topics-cli-'));
  const assembly = await sharedAssembly();
  const ports = { lambdaPort: await findFreePort(), dynamodbPort: await findFreePort(), s3Port: await findFreePort() };
  stack = await startLocalStack({ projectRoot: root, mode: 'persistent', assembly, ...ports });
  lambda = new LambdaClient({ region: stack.state.region, endpoint: stack.state.endpoints.lambda, credentials: { ...LOCAL_CREDENTIALS }, maxAttempts: 1 });
  kafkaless = new Kafkaless({ functions: stack.state.functions, lambdaClient: lambda });
}, 300_000);

afterAll(async () => {
  await kafkaless?.close();
  lambda?.destroy();
  await stack?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('kafkaless topics, as Kafka’s scripts', () => {
  it('creates with a replication factor and min.insync.replicas, and describes every config with its source', async () => {
    const created = await cli(['topics', 'create', 'cli-orders', '--partitions', '2', '--replication-factor', '3', '--config', 'min.insync.replicas=2']);
    expect(created.code).toBe(0);
    const described = await cli(['topics', 'describe', 'cli-orders']);
    expect(described.code).toBe(0);
    expect(described.stdout).toContain('ReplicationFactor: 3');
    expect(described.stdout).toContain('All configs for topic cli-orders are:');
    expect(described.stdout).toMatch(/ {2}min\.insync\.replicas=2 sensitive=false synonyms=\{DYNAMIC_TOPIC_CONFIG:min\.insync\.replicas=2, DEFAULT_CONFIG:min\.insync\.replicas=1\} \(accepted without effect\)/);
    expect(described.stdout).toMatch(/ {2}retention\.ms=604800000 sensitive=false synonyms=\{DEFAULT_CONFIG:retention\.ms=604800000\}\n/);
    const bad = await cli(['topics', 'create', 'cli-bad', '--replication-factor', '0']);
    expect(bad.code).toBe(1);
    expect(bad.stderr + bad.stdout).toContain('InvalidReplicationFactor');
  }, 120_000);

  it('alters configs in kafka-configs.sh syntax', async () => {
    const altered = await cli(['topics', 'alter', 'cli-orders', '--add-config', 'retention.ms=1000,cleanup.policy=[delete,compact]', '--delete-config', 'min.insync.replicas']);
    expect(altered.code).toBe(0);
    const [configs] = await kafkaless.admin().describeConfigs({ topics: ['cli-orders'] });
    const value = (name: string) => configs!.configEntries.find((e) => e.name === name)!;
    expect(value('retention.ms').value).toBe('1000');
    expect(value('cleanup.policy').value).toBe('delete,compact');
    expect(value('min.insync.replicas').source).toBe('DEFAULT_CONFIG');
    const bad = await cli(['topics', 'alter', 'cli-orders', '--add-config', 'retention.ms=soon', '--partitions', '4']);
    expect(bad.code).toBe(1);
    expect(bad.stderr + bad.stdout).toContain('InvalidConfig');
    expect((await kafkaless.admin().describeTopics({ topics: ['cli-orders'] }))[0]!.partitions).toHaveLength(2);
  }, 120_000);

  it('prints offsets as kafka-get-offsets.sh, by time too, and deletes records as kafka-delete-records.sh', async () => {
    await kafkaless.admin().alterConfigs({ topics: [{ topic: 'cli-orders', configEntries: [{ name: 'cleanup.policy', value: 'delete' }, { name: 'retention.ms', value: null }] }] });
    const producer = kafkaless.producer();
    const t0 = Date.now() - 60_000;
    for (let i = 0; i < 10; i++) await producer.send({ topic: 'cli-orders', messages: [{ value: `v${i}`, partition: 0, timestamp: String(t0 + i * 1000) }] });
    await producer.disconnect();
    expect((await cli(['topics', 'offsets', 'cli-orders'])).stdout).toBe('cli-orders:0:10\ncli-orders:1:0\n');
    expect((await cli(['topics', 'offsets', 'cli-orders', '--time', 'earliest', '--partitions', '0'])).stdout).toBe('cli-orders:0:0\n');
    expect((await cli(['topics', 'offsets', 'cli-orders', '--time', String(t0 + 4500)])).stdout).toBe('cli-orders:0:5\n');
    expect((await cli(['topics', 'offsets', 'cli-orders', '--time', new Date(t0 + 3000).toISOString(), '--partitions', '0'])).stdout).toBe('cli-orders:0:3\n');
    expect(JSON.parse((await cli(['--json', 'topics', 'offsets', 'cli-orders'])).stdout)).toEqual([
      { topic: 'cli-orders', partition: 0, offset: 10 },
      { topic: 'cli-orders', partition: 1, offset: 0 },
    ]);
    const single = await cli(['topics', 'delete-records', 'cli-orders', '--partition', '0', '--offset', '4']);
    expect(single.stdout).toContain('partition: cli-orders-0\tlow_watermark: 4');
    const file = join(root, 'delete.json');
    writeFileSync(file, JSON.stringify({ partitions: [{ topic: 'cli-orders', partition: 0, offset: 7 }], version: 1 }));
    const fromFile = await cli(['topics', 'delete-records', '--offset-json-file', file]);
    expect(fromFile.stdout).toContain('partition: cli-orders-0\tlow_watermark: 7');
    expect((await cli(['topics', 'offsets', 'cli-orders', '--time', 'earliest'])).stdout).toBe('cli-orders:0:7\ncli-orders:1:0\n');
    expect((await cli(['topics', 'offsets', 'cli-orders', '--time', 'yesterday'])).code).toBe(2);
  }, 180_000);
});
