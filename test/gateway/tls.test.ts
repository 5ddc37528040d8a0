/**
 * TLS and SASL together: a self-signed certificate made with openssl, a
 * users file made with `kafkaless users add`, and kafkajs (`ssl: { ca }`)
 * and kcat (SASL_SSL) producing and listing through the gateway.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserStore } from '../../lib/gateway/sasl/user-store.js';
import { readUsersFile } from '../../lib/gateway/sasl/users-file.js';
import { selfSignedCertificate } from '../support/self-signed.js';
import { createTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
let dir: string;
let usersFile: string;

function cli(args: readonly string[], input: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['bin/kafkaless.js', ...args], (err, stdout, stderr) => resolve({ stdout, stderr, code: err === null ? 0 : ((err as { code?: number }).code ?? 1) }));
    child.stdin?.end(input);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kafkaless-tls-'));
  selfSignedCertificate(dir);
  usersFile = join(dir, 'users.json');
  const added = await cli(['users', 'add', 'alice', '--password-stdin', '--mechanism', 'SCRAM-SHA-512', '--iterations', '8192', '--file', usersFile], 'alice-secret\n');
  expect(added).toMatchObject({ code: 0, stdout: `User alice: SCRAM-SHA-512 in ${usersFile}\n` });
  const users = await readUsersFile(usersFile);
  t = await createTestGateway({ sasl: { users: new UserStore(users) }, tls: { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) } });
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('kafkaless users', () => {
  it('stores a SCRAM credential without the password, and lists it', async () => {
    const text = readFileSync(usersFile, 'utf8');
    expect(text).not.toContain('alice-secret');
    expect(JSON.parse(text)).toEqual({ users: { alice: { 'SCRAM-SHA-512': { salt: expect.any(String), iterations: 8192, storedKey: expect.any(String), serverKey: expect.any(String) } } } });
    expect((await cli(['users', 'list', '--file', usersFile], '')).stdout).toBe('alice\tSCRAM-SHA-512 (8192 iterations)\n');
  });

  it('refuses too few iterations and an empty password, leaving the file as it was', async () => {
    const before = readFileSync(usersFile, 'utf8');
    const few = await cli(['users', 'add', 'bob', '--password-stdin', '--iterations', '100', '--file', usersFile], 'pw');
    expect(few.code).not.toBe(0);
    expect(few.stderr).toContain('iterations must be a whole number from 4096 to 16384, got 100');
    const empty = await cli(['users', 'add', 'bob', '--password-stdin', '--file', usersFile], '');
    expect(empty.stderr).toContain('no password on standard input');
    expect(readFileSync(usersFile, 'utf8')).toBe(before);
  });
});

describe('a TLS gateway with SASL', () => {
  it('kafkajs with ssl.ca and SCRAM-SHA-512 creates a topic and produces', async () => {
    const kafka = new Kafka({ brokers: [t.broker], ssl: { ca: [readFileSync(join(dir, 'cert.pem'), 'utf8')] }, sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'alice-secret' }, logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'secure', numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'secure', messages: [{ value: 'over tls' }] });
    await producer.disconnect();
    expect((await admin.fetchTopicOffsets('secure'))[0]!.high).toBe('1');
    await admin.disconnect();
  });

  it('kcat with SASL_SSL and the CA lists metadata', async () => {
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        'kcat',
        ['-b', t.broker, '-X', 'security.protocol=SASL_SSL', '-X', `ssl.ca.location=${join(dir, 'cert.pem')}`, '-X', 'sasl.mechanisms=SCRAM-SHA-512', '-X', 'sasl.username=alice', '-X', 'sasl.password=alice-secret', '-L', '-J'],
        (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout)),
      );
    });
    expect((JSON.parse(out) as { brokers: { name: string }[] }).brokers).toEqual([{ id: 0, name: t.broker }]);
  });

  it('a plain TCP client gets no Kafka answer', async () => {
    const kafka = new Kafka({ brokers: [t.broker], sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'alice-secret' }, logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    await expect(admin.connect()).rejects.toThrow();
  });
});
