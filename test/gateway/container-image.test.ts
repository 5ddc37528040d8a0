/**
 * The gateway image's contents, run as the container runs them: the bundle
 * staged for the image (real entry, functions' esbuild settings), started
 * with `node gateway.mjs` and only the environment the stack gives the
 * task, serving Kafka clients over this file's tables and bucket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stageGatewayImage } from '../../lib/infra/gateway-image.js';
import { findFreePort } from '../../lib/local/free-port.js';
import { ENV, GATEWAY_ENV, TABLES, TABLE_ROLES } from '../../lib/names.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { testAwsEndpoints } from '../support/services.js';

let t: TestKafkaless;
let dir: string;
let child: ChildProcess;
let port: number;
const lines: string[] = [];

beforeAll(async () => {
  t = await createTestKafkaless();
  await t.kafkaless.admin().createTopics({ topics: [{ topic: 'imaged', numPartitions: 2 }] });
  dir = stageGatewayImage(resolve('.'), mkdtempSync(join(tmpdir(), 'kafkaless-image-test-')));
  port = await findFreePort();
  const endpoints = testAwsEndpoints();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: endpoints.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    [ENV.bucket]: t.bucket,
    ...Object.fromEntries(TABLE_ROLES.map((role) => [TABLES[role].env, t.tables[role]])),
    [GATEWAY_ENV.port]: String(port),
    [GATEWAY_ENV.advertisedHost]: '127.0.0.1',
    [GATEWAY_ENV.metricsNamespace]: 'Kafkaless',
    [GATEWAY_ENV.metricsService]: 'test-gateway',
  };
  child = spawn(process.execPath, ['gateway.mjs'], { cwd: dir, env });
  await new Promise<void>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const complete = out.split('\n');
      out = complete.pop()!;
      lines.push(...complete);
      if (complete.some((line) => line.includes('Kafka gateway listening'))) done();
    });
    child.once('exit', (code) => fail(new Error(`the gateway bundle exited with ${code}: ${lines.join('\n')}`)));
  });
});

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  await t.close();
});

describe('the gateway image\'s bundle', () => {
  it('serves Kafka clients over the stack named by its environment, advertising the address it is given', async () => {
    const kafka = new Kafka({ clientId: 'image-test', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const meta = await admin.fetchTopicMetadata({ topics: ['imaged'] });
    expect(meta.topics[0]!.partitions).toHaveLength(2);
    const cluster = await admin.describeCluster();
    expect(cluster.brokers).toEqual([{ nodeId: 0, host: '127.0.0.1', port }]);
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const [sent] = await producer.send({ topic: 'imaged', acks: -1, messages: [{ partition: 1, value: 'from the image' }] });
    await producer.disconnect();
    expect(sent!.errorCode).toBe(0);
    const consumer = t.kafkaless.consumer({ 'auto.offset.reset': 'earliest' });
    consumer.assign([{ topic: 'imaged', partition: 1 }]);
    const read = [];
    while (read.length < 1) read.push(...(await consumer.poll({ timeoutMs: 100 })));
    await consumer.disconnect();
    expect(read[0]!.value!.toString()).toBe('from the image');
  });

  it('writes its open connections as an embedded-metric line', () => {
    const metric = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => '_aws' in entry);
    expect(metric).toMatchObject({ Service: 'test-gateway', GatewayConnections: 0, _aws: { CloudWatchMetrics: [{ Namespace: 'Kafkaless', Dimensions: [['Service']] }] } });
  });

  it('stops on SIGTERM, as ECS stops a task, with exit code 0', async () => {
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
