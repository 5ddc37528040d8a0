/** `kafkaless gateway --users FILE --tls-cert F --tls-key F`: kcat over SASL_SSL through it; half a TLS pair is a usage error. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scramCredential } from '../../lib/gateway/sasl/scram-credential.js';
import { usersJson } from '../../lib/gateway/sasl/users-file.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { selfSignedCertificate } from '../support/self-signed.js';
import { gatewayRoot, removeGatewayRoot, startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

let t: TestKafkaless;
let root: string;
let dir: string;
let gateway: GatewayProcess;

beforeAll(async () => {
  t = await createTestKafkaless();
  await t.kafkaless.admin().createTopics({ topics: [{ topic: 'guarded', numPartitions: 1 }] });
  root = gatewayRoot(t);
  dir = mkdtempSync(join(tmpdir(), 'kafkaless-gateway-tls-'));
  selfSignedCertificate(dir);
  writeFileSync(join(dir, 'users.json'), JSON.stringify(usersJson(new Map([['carol', { 'SCRAM-SHA-256': scramCredential('SCRAM-SHA-256', 'carol-secret') }]]))));
  gateway = await startGatewayProcess(root, 0, ['--users', join(dir, 'users.json'), '--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')]);
});

afterAll(async () => {
  await gateway?.stop('SIGTERM');
  removeGatewayRoot(root);
  rmSync(dir, { recursive: true, force: true });
  await t.close();
});

describe('kafkaless gateway with TLS and users', () => {
  it('serves kcat over SASL_SSL with SCRAM-SHA-256', async () => {
    const out = await new Promise<string>((done, fail) => {
      const args = ['-b', gateway.broker, '-X', 'security.protocol=SASL_SSL', '-X', `ssl.ca.location=${join(dir, 'cert.pem')}`, '-X', 'sasl.mechanisms=SCRAM-SHA-256', '-X', 'sasl.username=carol', '-X', 'sasl.password=carol-secret', '-L', '-J'];
      execFile('kcat', args, (err, stdout, stderr) => (err ? fail(new Error(stderr)) : done(stdout)));
    });
    expect((JSON.parse(out) as { topics: { topic: string }[] }).topics.map((x) => x.topic)).toEqual(['guarded']);
  });

  it('refuses --tls-cert without --tls-key', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((done) => {
      execFile(process.execPath, [resolve('bin/kafkaless.js'), 'gateway', '--port', '0', '--tls-cert', join(dir, 'cert.pem')], { cwd: root }, (err, _stdout, stderr) => done({ code: err === null ? 0 : ((err as { code?: number }).code ?? 1), stderr }));
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--tls-cert and --tls-key go together');
  });
});
