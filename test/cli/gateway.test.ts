/** `kafkaless gateway` over the running local stack (found by its state file): kcat lists and produces through it. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLocalStackState } from '../../lib/local/local-state.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { testAwsEndpoints } from '../support/services.js';

let t: TestKafkaless;
let root: string;
let child: ChildProcess;
let broker: string;

function kcat(args: readonly string[], input?: string): Promise<string> {
  return new Promise((done, fail) => {
    const p = execFile('kcat', ['-b', broker, ...args], { timeout: 60_000 }, (err, stdout, stderr) => (err ? fail(new Error(stderr)) : done(stdout)));
    p.stdin?.end(input ?? '');
  });
}

beforeAll(async () => {
  t = await createTestKafkaless();
  await t.kafkaless.admin().createTopics({ topics: [{ topic: 'served', numPartitions: 2 }] });
  root = mkdtempSync(join(tmpdir(), 'kafkaless-gateway-'));
  const endpoints = testAwsEndpoints();
  writeLocalStackState(root, {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    region: endpoints.region,
    endpoints: { dynamodb: endpoints.dynamodb, s3: endpoints.s3, lambda: 'http://127.0.0.1:1' },
    functions: {},
    tables: t.tables,
    bucket: t.bucket,
  });
  child = spawn(process.execPath, [resolve('bin/kafkaless.js'), 'gateway', '--port', '0'], { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  broker = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (\S+:\d+)\./.exec(out);
      if (m) done(m[1]!);
    });
    child.once('exit', (code) => fail(new Error(`kafkaless gateway exited with ${code}: ${out}`)));
  });
});

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(root, { recursive: true, force: true });
  await t.close();
});

describe('kafkaless gateway', () => {
  it('serves the local stack: its topics listed, records produced through it read natively', async () => {
    const meta = JSON.parse(await kcat(['-L', '-J'])) as { topics: { topic: string; partitions: unknown[] }[] };
    expect(meta.topics.map((x) => [x.topic, x.partitions.length])).toEqual([['served', 2]]);
    await kcat(['-P', '-t', 'served', '-p', '1', '-K', ':'], 'k:v\n');
    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    consumer.assign([{ topic: 'served', partition: 1 }]);
    const read = [];
    while (read.length < 1) read.push(...(await consumer.poll({ timeoutMs: 100 })));
    await consumer.disconnect();
    expect(read.map((r) => [r.key?.toString(), r.value?.toString()])).toEqual([['k', 'v']]);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
