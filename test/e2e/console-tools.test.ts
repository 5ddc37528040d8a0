/**
 * The console tools and the producer's payload limits against the whole
 * local stack: the stack's own bundles on the local Lambda Invoke API, over
 * DynamoDB Local and the S3 server; the CLI runs as a child process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InvokeCommand, LambdaClient, RequestTooLargeException } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../lib/aws/clients.js';
import type { ConsumerRecord } from '../../lib/client/consumer/consumer.js';
import { Kafkaless } from '../../lib/client/kafkaless.js';
import { LAMBDA_ASYNC_PAYLOAD_BYTES, MAX_REQUEST_SIZE_BYTES } from '../../lib/limits.js';
import { findFreePort } from '../../lib/local/free-port.js';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.js';
import { runCli, type CliResult } from '../support/local-cli.js';
import { sharedAssembly } from '../support/shared-assembly.js';


const CLI = resolve('bin/kafkaless.js');
let root: string;
let stack: LocalStack;
let lambda: LambdaClient;
let kafkaless: Kafkaless;

function cli(args: string[], input?: string): Promise<CliResult> {
  return runCli(root, args, input);
}

async function readAll(topic: string, partitions: number, expected: number): Promise<ConsumerRecord[]> {
  const consumer = kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
  consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
  const out: ConsumerRecord[] = [];
  for (let round = 0; out.length < expected && round < 200; round++) out.push(...(await consumer.poll({ timeoutMs: 200 })));
  return out;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kafkaless-console-'));
  const assembly = await sharedAssembly();
  stack = await startLocalStack({ projectRoot: root, mode: 'persistent', assembly, lambdaPort: await findFreePort(), dynamodbPort: await findFreePort(), s3Port: await findFreePort() });
  lambda = new LambdaClient({ region: stack.state.region, endpoint: stack.state.endpoints.lambda, credentials: { ...LOCAL_CREDENTIALS }, maxAttempts: 1 });
  kafkaless = new Kafkaless({ functions: stack.state.functions, lambdaClient: lambda });
}, 240_000);

afterAll(async () => {
  await kafkaless?.close();
  lambda?.destroy();
  await stack?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('acks=0 through the Lambda Invoke API', () => {
  it("refuses an Event invocation over Lambda's 1 MB asynchronous payload, as AWS does", async () => {
    const payload = Buffer.from(JSON.stringify({ action: 'metadata', pad: 'x'.repeat(LAMBDA_ASYNC_PAYLOAD_BYTES) }));
    const err = await lambda.send(new InvokeCommand({ FunctionName: stack.state.functions.produce, InvocationType: 'Event', Payload: payload })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTooLargeException);
  });

  it('carries a request over 1 MB as acks=1 does: send resolves without offsets, flush waits, every record lands', async () => {
    const topic = 'acks0-large';
    await kafkaless.admin().createTopics({ topics: [{ topic, configEntries: [{ name: 'max.message.bytes', value: String(MAX_REQUEST_SIZE_BYTES) }] }] });
    const producer = kafkaless.producer({ acks: 0, 'linger.ms': 60_000, 'batch.size': MAX_REQUEST_SIZE_BYTES });
    const values = Array.from({ length: 8 }, (_, i) => `${i}`.repeat(200_000));
    const sending = producer.send({ topic, messages: values.map((value) => ({ value })) });
    await producer.flush();
    const metas = await sending;
    expect(metas.map((m) => m.offset)).toEqual(values.map(() => -1));
    await producer.disconnect();
    const read = await readAll(topic, 1, values.length);
    expect(read.map((r) => r.value!.toString())).toEqual(values);
  });
});

describe('kafkaless produce and consume, as the Kafka console tools', () => {
  it('parses keys, headers and null markers with Kafka property names, and prints them with the formatter properties', async () => {
    await kafkaless.admin().createTopics({ topics: [{ topic: 'console-props' }] });
    const input = ['h1:a,h2:b\tk1:v1', 'h1:c\tk2:NULL', 'NULL\tNULL:v3'].join('\n') + '\n';
    const produced = await cli(
      ['produce', 'console-props', '--property', 'parse.key=true', '--property', 'key.separator=:', '--property', 'parse.headers=true', '--property', 'null.marker=NULL'],
      input,
    );
    expect(produced.stderr).not.toMatch(/Error/);
    expect(produced.code).toBe(0);
    const consumed = await cli([
      'consume', 'console-props', '--from-beginning', '--max-messages', '3', '--timeout-ms', '20000',
      '--property', 'print.partition=true', '--property', 'print.offset=true', '--property', 'print.headers=true', '--property', 'print.key=true', '--property', 'null.literal=<none>',
    ]);
    expect(consumed.code).toBe(0);
    expect(consumed.stdout).toBe(['Partition:0\tOffset:0\th1:a,h2:b\tk1\tv1', 'Partition:0\tOffset:1\th1:c\tk2\t<none>', 'Partition:0\tOffset:2\tNO_HEADERS\t<none>\tv3', ''].join('\n'));
    const timestamps = await cli(['consume', 'console-props', '--from-beginning', '--max-messages', '1', '--timeout-ms', '20000', '--property', 'print.timestamp=true', '--print-key']);
    expect(timestamps.stdout).toMatch(/^CreateTime:\d{13}\tk1\tv1\n$/);
    const json = await cli(['consume', 'console-props', '--from-beginning', '--max-messages', '3', '--timeout-ms', '20000', '--formatter', 'json']);
    expect(json.stdout.trim().split('\n').map((line) => JSON.parse(line) as { key: string | null; value: string | null })).toMatchObject([
      { key: 'k1', value: 'v1' },
      { key: 'k2', value: null },
      { key: null, value: 'v3' },
    ]);
  });

  it('spreads 10,000 unkeyed lines over the partitions with the console producer defaults', async () => {
    await kafkaless.admin().createTopics({ topics: [{ topic: 'console-spread', numPartitions: 3 }] });
    const lines = Array.from({ length: 10_000 }, (_, i) => `line-${i}`).join('\n') + '\n';
    const produced = await cli(['--json', 'produce', 'console-spread'], lines);
    expect(produced.code).toBe(0);
    const summary = JSON.parse(produced.stdout) as { records: number; partitions: Record<string, number> };
    expect(summary.records).toBe(10_000);
    expect(Object.keys(summary.partitions).length).toBeGreaterThan(1);
    const read = await readAll('console-spread', 3, 10_000);
    expect(read).toHaveLength(10_000);
    expect(new Set(read.map((r) => r.partition)).size).toBeGreaterThan(1);
  });

  it('takes producer configs from --producer.config and --producer-property, refusing unknown ones', async () => {
    const file = join(root, 'producer.properties');
    writeFileSync(file, '# console producer\nbootstrap.servers=localhost:9092\nlinger.ms=0\nbogus.config=1\n');
    const fromFile = await cli(['produce', 'console-props', '--producer.config', file], 'x\n');
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toMatch(/Unknown producer config 'bogus\.config'/);
    const badAcks = await cli(['produce', 'console-props', '--producer-property', 'acks=2'], 'x\n');
    expect(badAcks.code).toBe(2);
    expect(badAcks.stderr).toMatch(/acks takes all, -1, 1 or 0/);
    writeFileSync(file, 'bootstrap.servers=localhost:9092\nlinger.ms=0\ncompression.type=gzip\n');
    const ok = await cli(['produce', 'console-props', '--producer.config', file, '--producer-property', 'acks=1'], 'y\n');
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/ignoring producer configs that have no meaning here: bootstrap\.servers/);
  });

  it('reports how much was committed, up to which offsets, when a run fails part-way, and exits 1', async () => {
    await kafkaless.admin().createTopics({ topics: [{ topic: 'console-partial', numPartitions: 2, configEntries: [{ name: 'max.message.bytes', value: '2000' }] }] });
    const input = ['a', 'b', 'c', 'x'.repeat(5000), 'd'].join('\n') + '\n';
    const produced = await cli(['produce', 'console-partial', '--partition', '1'], input);
    expect(produced.code).toBe(1);
    expect(produced.stderr).toMatch(/Error: RecordTooLarge: .*max\.message\.bytes \(2000\)/);
    const [, committed, readCount, lastOffset] = /Committed (\d+) of (\d+) records read before the error \(partition 1 up to offset (\d+)\)\./.exec(produced.stderr)!.map(Number);
    expect(committed).toBeGreaterThanOrEqual(3);
    expect(readCount).toBeGreaterThan(committed!);
    expect(lastOffset).toBe(committed! - 1);
    expect((await readAll('console-partial', 2, committed!)).filter((r) => r.partition === 1)).toHaveLength(committed!);
    const badLine = await cli(['produce', 'console-partial', '--partition', '0', '--property', 'parse.key=true'], 'k\tv\nno key here\n');
    expect(badLine.code).toBe(1);
    expect(badLine.stderr).toMatch(/Committed 1 of 1 records read before the error \(partition 0 up to offset 0\)\./);
    expect(badLine.stderr).toMatch(/No key separator found on line 2/);
  });

  it("takes --offset earliest and latest, as Kafka's console consumer does", async () => {
    const earliest = await cli(['consume', 'console-props', '--partition', '0', '--offset', 'earliest', '--max-messages', '1', '--print-offset']);
    expect(earliest.code, earliest.stderr).toBe(0);
    expect(earliest.stdout).toBe('Partition:0\tOffset:0\tv1\n');
    const latest = await cli(['consume', 'console-props', '--partition', '0', '--offset', 'latest', '--timeout-ms', '300']);
    expect(latest.code, latest.stderr).toBe(0);
    expect(latest.stdout).toBe('');
    expect((await cli(['consume', 'console-props', '--offset', 'earliest'])).stderr).toMatch(/--offset needs --partition/);
  });

  it('stops on SIGTERM as on Ctrl-C: exit 0 and the count of records printed', async () => {
    // A topic of its own: the tests above add records to console-props.
    await kafkaless.admin().createTopics({ topics: [{ topic: 'console-sigterm' }] });
    expect((await cli(['produce', 'console-sigterm'], 'v1\nv2\nv3\n')).code).toBe(0);
    const child = spawn(process.execPath, [CLI, 'consume', 'console-sigterm', '--from-beginning'], { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.split('\n').length > 3) child.kill('SIGTERM');
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, stderr).toBe(0);
    expect(stdout).toBe('v1\nv2\nv3\n');
    expect(stderr).toMatch(/Processed a total of 3 messages/);
  });

  it('says so when --offset is past the end of the partition, and where it waits instead', async () => {
    const consumed = await cli(['consume', 'console-props', '--partition', '0', '--offset', '900', '--timeout-ms', '300']);
    expect(consumed.code).toBe(0);
    expect(consumed.stderr).toMatch(/offset 900 is past the end of partition 0 of 'console-props' \(high watermark \d+\); auto\.offset\.reset=latest: waiting for new records from \d+/);
  });
});
