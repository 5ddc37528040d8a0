import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMaintenanceDeps } from '../../lib/broker/maintenance/index.js';
import { CollectorTally, collectGarbage } from '../../lib/broker/maintenance/garbage-collector.js';
import { createTxnDeps, recoverTransactions } from '../../lib/broker/transactions/index.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { contextAt, crashingClient } from './crash.js';
import { createTopic, highWatermarks, indexedObjects, readAll, registryRefs, stagedItems } from './helpers.js';

let t: TestKafkaless;
beforeAll(async () => {
  t = await createTestKafkaless();
});
afterAll(async () => t?.close());

const HOUR_MS = 3_600_000;

async function objectExists(key: string): Promise<boolean> {
  try {
    await t.clients.s3.send(new HeadObjectCommand({ Bucket: t.bucket, Key: key }));
    return true;
  } catch {
    return false;
  }
}

async function stagedObjects(): Promise<Set<string>> {
  return new Set((await stagedItems(t)).filter((s) => s.kind === 'batch').map((s) => String(s.objectKey)));
}

describe('a transaction that outlives transaction.timeout.ms', () => {
  it('is aborted by recovery, never visible; its commit is TransactionAbortable and the producer goes on after abort', async () => {
    const topic = await createTopic(t.kafkaless, 'timeout', 2);
    const producer = t.kafkaless.producer({ 'transactional.id': 'timeout-id', 'transaction.timeout.ms': 1_000, 'linger.ms': 0 });
    const txn = await producer.transaction();
    await txn.send({ topic, messages: [{ value: 'late', partition: 0 }, { value: 'late', partition: 1 }] });
    const objects = await stagedObjects();
    const later = Date.now() + 5_000;
    const summary = await recoverTransactions(createTxnDeps(contextAt(t, later)), later);
    expect(summary).toMatchObject({ timedOut: 1, failures: [] });
    expect(await highWatermarks(t.kafkaless, topic)).toEqual([0, 0]);
    expect(await stagedItems(t)).toEqual([]);
    const refs = await registryRefs(t);
    for (const key of objects) expect(refs.get(key)).toBe(0);
    await expect(txn.commit()).rejects.toMatchObject({ code: 'TransactionAbortable' });
    await txn.abort();
    const next = await producer.transaction();
    await next.send({ topic, messages: [{ value: 'on time', partition: 0 }] });
    await next.commit();
    expect((await readAll(t.kafkaless, topic)).map((r) => r.value)).toEqual(['on time']);
  });
});

describe('aborted data', () => {
  it('is collected by the garbage collector after its grace period, while committed objects stay', async () => {
    const topic = await createTopic(t.kafkaless, 'collected', 1);
    const producer = t.kafkaless.producer({ 'transactional.id': 'collected-id', 'linger.ms': 0 });
    const kept = await producer.transaction();
    await kept.send({ topic, messages: [{ value: 'kept' }] });
    await kept.commit();
    const dropped = await producer.transaction();
    await dropped.send({ topic, messages: [{ value: 'dropped' }] });
    const aborted = await stagedObjects();
    await dropped.abort();
    const later = Date.now() + 2 * HOUR_MS;
    const deps = createMaintenanceDeps(contextAt(t, later), () => undefined);
    const tally = new CollectorTally();
    await collectGarbage(deps, 'txn-test', tally);
    expect(tally.errors).toEqual([]);
    for (const key of aborted) expect(await objectExists(key)).toBe(false);
    for (const key of await indexedObjects(t)) expect(await objectExists(key)).toBe(true);
    expect((await readAll(t.kafkaless, topic)).map((r) => r.value)).toEqual(['kept']);
  });

  it('of an abort interrupted half-way is rolled back by recovery: nothing visible, nothing staged, refs 0', async () => {
    const topic = await createTopic(t.kafkaless, 'mid-abort', 1);
    const { kafkaless, transport } = crashingClient(t, 'txn.midAbort');
    const producer = kafkaless.producer({ 'transactional.id': 'mid-abort-id', 'linger.ms': 0 });
    const txn = await producer.transaction();
    await txn.send({ topic, messages: [{ value: 'x' }] });
    const objects = await stagedObjects();
    await expect(txn.abort()).rejects.toThrow();
    expect(transport.dead).toBe(true);
    const later = Date.now() + 60_000;
    expect(await recoverTransactions(createTxnDeps(contextAt(t, later)), later)).toMatchObject({ rolledBack: 1, failures: [] });
    expect(await stagedItems(t)).toEqual([]);
    const refs = await registryRefs(t);
    for (const key of objects) expect(refs.get(key)).toBe(0);
    expect(await highWatermarks(t.kafkaless, topic)).toEqual([0]);
  });
});
