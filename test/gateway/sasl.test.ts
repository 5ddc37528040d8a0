/**
 * Real clients through a gateway that requires SASL: kafkajs 2.2.4 with
 * SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN, kcat (librdkafka) with
 * SCRAM-SHA-512; a wrong password fails authentication and writes nothing.
 */
import { execFile } from 'node:child_process';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { testUsers } from '../support/sasl-users.js';

let t: TestGateway;

beforeAll(async () => {
  t = await createTestGateway({ sasl: { users: testUsers({ alice: 'alice-secret', 'bob,=x': 'bob-secret' }) } });
});
afterAll(async () => t.close());

const kafka = (sasl: SASLOptions) => new Kafka({ clientId: 'sasl-test', brokers: [t.broker], sasl, logLevel: logLevel.NOTHING, retry: { retries: 0 } });

function kcat(args: readonly string[], input?: string): Promise<{ stdout: string; stderr: string; failed: boolean }> {
  return new Promise((resolve) => {
    const child = execFile('kcat', ['-b', t.broker, ...args], { timeout: 60_000 }, (err, stdout, stderr) => resolve({ stdout, stderr, failed: err !== null }));
    child.stdin?.end(input ?? '');
  });
}

const scram512 = (password: string) => ['-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=SCRAM-SHA-512', '-X', 'sasl.username=alice', '-X', `sasl.password=${password}`];

async function endOffset(topic: string): Promise<string> {
  const admin = kafka({ mechanism: 'scram-sha-512', username: 'alice', password: 'alice-secret' }).admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  return offsets[0]!.high;
}

async function produceAndRead(sasl: SASLOptions, topic: string): Promise<string[]> {
  const client = kafka(sasl);
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  await admin.disconnect();
  const producer = client.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  await producer.send({ topic, messages: [{ value: 'one' }, { value: 'two' }] });
  await producer.disconnect();
  // kafkajs consumes only through groups; kcat reads through the same authenticating gateway.
  const read = await kcat([...scram512('alice-secret'), '-C', '-t', topic, '-o', 'beginning', '-e', '-f', '%s\\n']);
  return read.stdout.split('\n').filter((line) => line !== '');
}

describe('kafkajs with SASL through the gateway', () => {
  it('produces with SCRAM-SHA-512, and the records read back through the gateway', async () => {
    expect(await produceAndRead({ mechanism: 'scram-sha-512', username: 'alice', password: 'alice-secret' }, 'scram512')).toEqual(['one', 'two']);
  });

  it('produces with PLAIN, checked against the stored SCRAM credential', async () => {
    expect(await produceAndRead({ mechanism: 'plain', username: 'alice', password: 'alice-secret' }, 'plain')).toEqual(['one', 'two']);
  });

  it('authenticates with SCRAM-SHA-256 a user whose name needs saslname escapes', async () => {
    const admin = kafka({ mechanism: 'scram-sha-256', username: 'bob,=x', password: 'bob-secret' }).admin();
    await admin.connect();
    expect(await admin.listTopics()).toEqual(expect.arrayContaining(['scram512']));
    await admin.disconnect();
  });

  it.each(['scram-sha-512', 'plain'] as const)('a wrong password (%s) fails with an authentication error and writes nothing', async (mechanism) => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: `guarded-${mechanism}`, numPartitions: 1 }] });
    const producer = kafka({ mechanism, username: 'alice', password: 'wrong' } as SASLOptions).producer();
    await expect(producer.connect()).rejects.toThrow(/SASL .*authentication failed|Authentication failed/i);
    await expect(producer.send({ topic: `guarded-${mechanism}`, messages: [{ value: 'x' }] })).rejects.toThrow();
    expect(await endOffset(`guarded-${mechanism}`)).toBe('0');
  });
});

describe('kcat with SASL through the gateway', () => {
  it('lists metadata and produces with SCRAM-SHA-512', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'kcat-sasl', numPartitions: 1 }] });
    const meta = await kcat([...scram512('alice-secret'), '-L', '-J']);
    expect(meta.failed).toBe(false);
    expect((JSON.parse(meta.stdout) as { topics: { topic: string }[] }).topics.map((topic) => topic.topic)).toContain('kcat-sasl');
    const produced = await kcat([...scram512('alice-secret'), '-P', '-t', 'kcat-sasl'], 'k1\nk2\n');
    expect(produced.failed).toBe(false);
    expect(await endOffset('kcat-sasl')).toBe('2');
  });

  it('fails to list metadata with a wrong password', async () => {
    const meta = await kcat([...scram512('wrong'), '-L', '-J', '-m', '5']);
    expect(meta.failed).toBe(true);
    expect(meta.stderr).toMatch(/Authentication failed|SASL authentication error/i);
  });
});
