/**
 * The object registry under the races the proof found (invariant 8: an
 * object is deleted only when nothing points at it, and nothing points at
 * it again):
 * - a produce whose commit comes after the collector took its ingest object
 *   for an orphan (the request outlived the grace period) must fail,
 *   retriably, instead of committing an index item that points at nothing;
 * - a commit retried after an ambiguous failure appends the object again
 *   (at least once, without idempotence): the registry must count both
 *   references, or the first release would let the collector delete data
 *   still in the log;
 * - one registry write failing retriably must not stop the collector's run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { encodeTime } from 'ulid';
import { createBrokerContext } from '../../lib/broker/context.js';
import { createMaintenanceDeps, runMaintenance } from '../../lib/broker/maintenance/index.js';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KafkalessError } from '../../lib/errors.js';
import { partitionKey } from '../../lib/names.js';
import { TopicStore } from '../../lib/storage/topic-store.js';
import type { FaultInjector } from '../../lib/faults.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { testAwsClients } from '../support/services.js';
import { bucketKeys, HOUR_MS, maintain, produceBatch, readAll, scanTable, testClock, type TestClock } from './helpers.js';

let t: TestKafkaless;
let clock: TestClock;

beforeAll(async () => {
  clock = testClock();
  t = await createTestKafkaless({ now: clock.now });
  await t.kafkaless.admin().createTopics({ topics: [{ topic: 'late-commit' }, { topic: 'twice' }] });
});
afterAll(async () => t?.close());

const ingestKeys = async () => (await bucketKeys(t.clients.s3, t.bucket)).filter((k) => k.startsWith('ingest/'));
const highWatermark = async (topic: string) => (await t.kafkaless.admin().describeTopics({ topics: [topic] }))[0]!.partitions[0]!.highWatermark;

describe('a commit that comes after the collector took its object for an orphan', () => {
  it('fails with a retriable KafkaStorageError, leaves nothing visible, and the retry lands', async () => {
    let collected = false;
    // After the upload and before the commit, two hours pass and the collector runs.
    const slow: FaultInjector = {
      at: async (point) => {
        if (point !== 'produce.afterUpload' || collected) return;
        collected = true;
        clock.advance(2 * HOUR_MS);
        const report = await maintain(t, clock, { steps: ['gc'] });
        expect(report.collector?.orphansDeleted).toBe(1);
      },
    };
    const late = t.another({ faults: slow });
    const err = await produceBatch(late.transport, 'late-commit', 0, [{ key: null, value: 'late', timestamp: clock.now() }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkalessError);
    expect(err).toMatchObject({ code: 'KafkaStorageError', retriable: true });
    expect(await highWatermark('late-commit')).toBe(0);
    expect(await ingestKeys()).toEqual([]);
    // The orphan's tombstone stays, so a commit that comes even later is refused too.
    expect((await scanTable(t, t.tables.objects)).filter((i) => String(i.key).startsWith('ingest/'))).toEqual([expect.objectContaining({ state: 'deleting', refs: 0 })]);

    await produceBatch(late.transport, 'late-commit', 0, [{ key: null, value: 'late', timestamp: clock.now() }]);
    expect((await readAll(t.transport, 'late-commit', 0)).map((r) => r.value?.toString())).toEqual(['late']);

    // A day on, the tombstone goes; the live object stays.
    clock.advance(25 * HOUR_MS);
    await maintain(t, clock, { steps: ['gc'] });
    const left = (await scanTable(t, t.tables.objects)).filter((i) => String(i.key).startsWith('ingest/'));
    expect(left.map((i) => i.state ?? 'live')).toEqual(['live']);
    expect((await readAll(t.transport, 'late-commit', 0)).map((r) => r.value?.toString())).toEqual(['late']);
  });
});

/** DynamoDB clients whose first TransactWriteItems takes effect but answers a 500. */
function losingFirstTransaction(): DynamoDBClient {
  const { dynamodb } = testAwsClients();
  let fired = false;
  dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      if (context.commandName === 'TransactWriteItemsCommand' && !fired) {
        fired = true;
        throw Object.assign(new Error('We encountered an internal error. Please try again.'), { name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500 } });
      }
      return out;
    },
    { step: 'initialize', name: 'loseFirstTransaction' },
  );
  return dynamodb;
}

describe('a commit retried after it took effect without the caller knowing', () => {
  it('counts both references to the object, so releasing one keeps the object', async () => {
    const twice = t.another({ dynamodb: losingFirstTransaction() });
    await produceBatch(twice.transport, 'twice', 0, [{ key: null, value: 'once-or-twice', timestamp: clock.now() }]);
    expect(await highWatermark('twice')).toBe(2);
    const { topicId } = await new TopicStore(t.clients.dynamodb, t.tables.topics).require('twice');
    const items = (await scanTable(t, t.tables.batches)).filter((i) => i.pk === partitionKey(topicId, 0));
    expect(items).toHaveLength(2);
    const key = String(items[0]!.objectKey);
    expect(items[1]!.objectKey).toBe(key);
    const registry = (await scanTable(t, t.tables.objects)).find((i) => i.key === key);
    expect(registry).toMatchObject({ refs: 2 });
  });
});

/** DynamoDB clients whose first registry write fails as a single-item call conflicting with a transaction does. */
function conflictingOnce(): DynamoDBClient {
  const { dynamodb } = testAwsClients();
  let fired = false;
  dynamodb.middlewareStack.add(
    (next, context) => async (args) => {
      const input = (args as { input?: { TableName?: string } }).input;
      if (!fired && context.commandName === 'PutItemCommand' && input?.TableName === t.tables.objects) {
        fired = true;
        throw Object.assign(new Error('Transaction is ongoing for the item'), { name: 'TransactionConflictException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
      }
      return next(args);
    },
    { step: 'initialize', name: 'conflictOnce' },
  );
  return dynamodb;
}

describe('the collector when one registry write fails', () => {
  it('skips that object until the next run and still collects the others', async () => {
    const day = new Date(clock.now()).toISOString().slice(0, 10);
    const orphans = [1, 2, 3].map((i) => `ingest/cd/${day}/${encodeTime(clock.now() - 2 * HOUR_MS, 10)}000000000000000${i}`);
    for (const key of orphans) await t.clients.s3.send(new PutObjectCommand({ Bucket: t.bucket, Key: key, Body: Buffer.from('abandoned') }));
    const ctx = createBrokerContext({ dynamodb: conflictingOnce(), s3: t.clients.s3, tables: t.tables, bucket: t.bucket, now: clock.now });
    const report = await runMaintenance(createMaintenanceDeps(ctx, () => undefined), { action: 'run', steps: ['gc'] });
    expect(report.collector).toMatchObject({ orphansDeleted: 2, errors: [expect.objectContaining({ code: 'KafkaStorageError' })] });
    expect((await ingestKeys()).filter((k) => orphans.includes(k))).toHaveLength(1);
    expect((await maintain(t, clock, { steps: ['gc'] })).collector?.orphansDeleted).toBe(1);
    expect((await ingestKeys()).filter((k) => orphans.includes(k))).toEqual([]);
  });
});
