import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../lib/aws/clients.js';
import { AwsFaultSwitch, decideFault, installAwsFaults, type AwsFaultSettings, type AwsService } from '../../lib/aws/fault-middleware.js';
import { InfrastructureError } from '../../lib/errors.js';
import { seededRandom } from '../../lib/faults.js';
import { toInfrastructureError } from '../../lib/storage/dynamodb-errors.js';
import { ObjectStore } from '../../lib/storage/object-store.js';
import { createTestBucket, createTestTables, testAwsEndpoints } from '../support/services.js';
import { awsClients, destroy } from './deployment.js';

let clean: AwsClients;
let table: string;
let bucket: string;
const made: AwsClients[] = [];

beforeAll(async () => {
  const [tables, b] = await Promise.all([createTestTables(), createTestBucket()]);
  table = tables.objects;
  bucket = b;
  clean = awsClients(testAwsEndpoints());
});
afterAll(() => {
  made.forEach(destroy);
  if (clean !== undefined) destroy(clean);
});

/** Clients whose every call fails as the settings say (rate 1 unless given). */
function faulty(settings: Partial<AwsFaultSettings>, options: { maxAttempts?: number; random?: () => number } = {}): { clients: AwsClients; sw: AwsFaultSwitch } {
  const clients = awsClients(testAwsEndpoints(), options.maxAttempts ?? 1);
  made.push(clients);
  const sw = new AwsFaultSwitch({ rate: 1, ...settings });
  const random = options.random ?? seededRandom(1);
  for (const service of ['dynamodb', 's3'] as AwsService[]) installAwsFaults(clients[service], service, sw, random);
  return { clients, sw };
}

const putItem = (key: string) => new PutItemCommand({ TableName: table, Item: { key: { S: key }, refs: { N: '1' } } });
const itemExists = async (key: string) => (await clean.dynamodb.send(new GetItemCommand({ TableName: table, Key: { key: { S: key } }, ConsistentRead: true }))).Item !== undefined;
const objectExists = async (key: string) =>
  clean.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
    () => true,
    () => false,
  );

async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('the call succeeded');
}

describe('AWS faults injected in the SDK middleware', () => {
  it('fails a DynamoDB call before it is sent with an error shaped like the SDK throttling error, and writes nothing', async () => {
    const { clients, sw } = faulty({ dynamodbKinds: ['ProvisionedThroughputExceededException'] });
    const err = await failure(clients.dynamodb.send(putItem('before')));
    expect(err.name).toBe('ProvisionedThroughputExceededException');
    expect(err).toMatchObject({ $fault: 'client', $metadata: { httpStatusCode: 400 }, $retryable: { throttling: true } });
    expect(await itemExists('before')).toBe(false);
    expect(toInfrastructureError(err, 'PutItem').retriable).toBe(true);
    expect(sw.counts.entries()).toEqual([['dynamodb ProvisionedThroughputExceededException before', 1]]);
  });

  it('fails a TransactWriteItems after it took effect: the caller sees a 500 but both items were written', async () => {
    const { clients, sw } = faulty({ dynamodbKinds: ['InternalServerError'], afterShare: 1 });
    const err = await failure(
      clients.dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { key: { S: 'txn-a' }, refs: { N: '1' } } } },
            { Put: { TableName: table, Item: { key: { S: 'txn-b' }, refs: { N: '1' } } } },
          ],
        }),
      ),
    );
    expect(err).toMatchObject({ name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500 } });
    expect(await itemExists('txn-a')).toBe(true);
    expect(await itemExists('txn-b')).toBe(true);
    expect(toInfrastructureError(err, 'TransactWriteItems').retriable).toBe(true);
    expect(sw.counts.get('dynamodb InternalServerError after')).toBe(1);
  });

  it('cancels a transaction with a TransactionConflict reason, which our translation calls retriable', async () => {
    const { clients } = faulty({ dynamodbKinds: ['TransactionConflict'] });
    const err = await failure(
      clients.dynamodb.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table, Item: { key: { S: 'txn-c' }, refs: { N: '1' } } } }] })),
    );
    expect(err.name).toBe('TransactionCanceledException');
    expect(err.CancellationReasons).toEqual([expect.objectContaining({ Code: 'TransactionConflict' })]);
    expect(toInfrastructureError(err, 'TransactWriteItems').retriable).toBe(true);
    expect(await itemExists('txn-c')).toBe(false);
  });

  it('resets the connection after a PutObject completed: the object exists, the caller sees a retriable failure', async () => {
    const { clients } = faulty({ s3Kinds: ['ECONNRESET'], afterShare: 1 });
    const err = await failure(new ObjectStore(clients.s3, bucket).put('after/reset', Buffer.from('bytes')));
    expect(err).toBeInstanceOf(InfrastructureError);
    expect((err as unknown as InfrastructureError).retriable).toBe(true);
    expect((err.cause as { code?: string }).code).toBe('ECONNRESET');
    expect(await objectExists('after/reset')).toBe(true);
  });

  it('answers S3 calls with SlowDown (503) and InternalError (500) as S3 does, both retriable after translation', async () => {
    for (const [kind, status] of [['SlowDown', 503], ['InternalError', 500]] as const) {
      const { clients } = faulty({ s3Kinds: [kind] });
      const err = await failure(new ObjectStore(clients.s3, bucket).put(`before/${kind}`, Buffer.from('x')));
      expect((err.cause as Record<string, unknown>).name).toBe(kind);
      expect((err.cause as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(status);
      expect((err as unknown as InfrastructureError).retriable).toBe(true);
      expect(await objectExists(`before/${kind}`)).toBe(false);
    }
  });

  it('times out a call after a delay, and the timeout is retriable', async () => {
    const { clients } = faulty({ dynamodbKinds: ['TimeoutError'], afterShare: 0, timeoutDelayMs: 5 });
    const err = await failure(clients.dynamodb.send(putItem('timeout')));
    expect(err.name).toBe('TimeoutError');
    expect(toInfrastructureError(err, 'PutItem').retriable).toBe(true);
    expect(await itemExists('timeout')).toBe(false);
  });

  it('lets the SDK retry an injected throttling error as it retries a real one', async () => {
    const script = [0.1, 0];
    const random = () => script.shift() ?? 0.99;
    const { clients, sw } = faulty({ rate: 0.5, dynamodbKinds: ['ThrottlingException'] }, { maxAttempts: 3, random });
    const out = await clients.dynamodb.send(putItem('retried'));
    expect(out.$metadata.attempts).toBe(2);
    expect(sw.counts.total()).toBe(1);
    expect(await itemExists('retried')).toBe(true);
  });

  it('fails about half of all calls during an error storm, and none when switched off', () => {
    let nowMs = 0;
    const sw = new AwsFaultSwitch({ rate: 0 }, undefined, () => nowMs);
    const random = seededRandom(42);
    const failures = (n: number) => Array.from({ length: n }, () => decideFault('s3', sw, random)).filter((d) => d !== undefined).length;
    expect(failures(200)).toBe(0);
    sw.storm(1_000);
    const inStorm = failures(1_000);
    expect(inStorm).toBeGreaterThan(400);
    expect(inStorm).toBeLessThan(600);
    nowMs = 1_000;
    expect(failures(200)).toBe(0);
    sw.storm(1_000, 1);
    sw.enabled = false;
    expect(failures(200)).toBe(0);
  });

  it('makes the same decisions for the same seed', () => {
    const sw = new AwsFaultSwitch({ rate: 0.3 });
    const run = () => {
      const random = seededRandom(7);
      return Array.from({ length: 100 }, () => decideFault('dynamodb', sw, random));
    };
    expect(run()).toEqual(run());
  });
});
