/**
 * librdkafka's transactional producer through the gateway (its Python
 * binding, Debian's python3-confluent-kafka, which .ci/run installs): a
 * commit, an abort and a commit across two partitions read back exactly
 * once at read_committed, and a zombie fenced at its commit.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../support/gateway.js';
import { kcatValues } from '../support/kcat.js';

/** The Debian package installs the module for the system interpreter. */
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./librdkafka-transactions.py', import.meta.url));

let t: TestGateway;
beforeAll(async () => {
  t = await createTestGateway();
});
afterAll(async () => t.close());

interface Outcome {
  readonly delivered: readonly (number | null)[];
  readonly errors: readonly string[];
  readonly zombie: { readonly name: string; readonly fatal: boolean } | null;
}

function runScript(topic: string, transactionalId: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [SCRIPT, t.broker, topic, transactionalId], (err, stdout, stderr) => {
      if (err) reject(new Error(`${SCRIPT} failed: ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as Outcome);
    });
  });
}

describe('librdkafka transactional producer through the gateway', () => {
  it('commits and aborts across two partitions (read_committed sees the committed records once, offsets unknown until commit), and a zombie is fenced', async () => {
    await t.native.kafkaless.admin().createTopics({ topics: [{ topic: 'rd-txn', numPartitions: 2 }] });
    const outcome = await runScript('rd-txn', 'rd-txn-id');
    expect(outcome.errors).toEqual([]);
    expect(outcome.delivered).toEqual([null, null, null, null]);
    expect(outcome.zombie).toEqual({ name: '_FENCED', fatal: true });
    expect(await kcatValues(t.broker, 'rd-txn', 'read_committed')).toEqual(['0:rd-c0', '0:rd-c0b', '1:rd-c1']);
    expect(await kcatValues(t.broker, 'rd-txn', 'read_uncommitted')).toEqual(['0:rd-c0', '0:rd-c0b', '1:rd-c1']);
  });
});
