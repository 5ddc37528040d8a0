import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, ListBucketsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createDynamoDbClient, createS3Client, LOCAL_REGION } from '../../lib/aws/clients.js';
import { findFreePort } from '../../lib/local/free-port.js';
import { startLocalServices, type LocalServices } from '../../lib/local/services.js';

/** Any credentials and region are accepted by the local services. */
const ANY_CREDENTIALS = { accessKeyId: 'AKIDANYTHING', secretAccessKey: 'anything' };

function clientsFor(services: LocalServices, region = LOCAL_REGION): { ddb: DynamoDBClient; s3: S3Client } {
  const common = { region, credentials: { ...ANY_CREDENTIALS }, maxAttempts: 1 };
  return {
    ddb: createDynamoDbClient({ ...common, endpoints: { dynamodb: services.dynamodbEndpoint } }),
    s3: createS3Client({ ...common, endpoints: { s3: services.s3Endpoint } }),
  };
}

describe('local services', () => {
  it('start on free ports, answer any credentials and region, and stop', async () => {
    const services = await startLocalServices({ mode: 'ephemeral' });
    const { ddb, s3 } = clientsFor(services, 'eu-west-3');
    try {
      await expect(ddb.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: [] });
      await expect(s3.send(new ListBucketsCommand({}))).resolves.toBeDefined();
    } finally {
      await services.stop();
    }
    await expect(ddb.send(new ListTablesCommand({}))).rejects.toThrow();
    ddb.destroy();
    s3.destroy();
  });

  it('keep tables, items and objects across a restart in persistent mode', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kafkaless-persist-'));
    const options = { mode: 'persistent', dataDir, dynamodbPort: await findFreePort(), s3Port: await findFreePort() } as const;
    try {
      const first = await startLocalServices(options);
      const before = clientsFor(first);
      await before.ddb.send(
        new CreateTableCommand({
          TableName: 'kept',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await before.ddb.send(new PutItemCommand({ TableName: 'kept', Item: { id: { S: 'a' }, value: { N: '42' } } }));
      await before.s3.send(new CreateBucketCommand({ Bucket: 'kept-bucket' }));
      await before.s3.send(new PutObjectCommand({ Bucket: 'kept-bucket', Key: 'segments/0', Body: 'log bytes' }));
      before.ddb.destroy();
      before.s3.destroy();
      await first.stop();

      const second = await startLocalServices(options);
      const after = clientsFor(second);
      try {
        const { Item } = await after.ddb.send(new GetItemCommand({ TableName: 'kept', Key: { id: { S: 'a' } } }));
        expect(Item?.value).toEqual({ N: '42' });
        const object = await after.s3.send(new GetObjectCommand({ Bucket: 'kept-bucket', Key: 'segments/0' }));
        expect(await object.Body?.transformToString()).toBe('log bytes');
      } finally {
        after.ddb.destroy();
        after.s3.destroy();
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuse a persistent start on a port that is taken, naming the port', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kafkaless-taken-'));
    const takenPort = await findFreePort();
    const occupier = createServer();
    await new Promise<void>((resolve) => occupier.listen(takenPort, '127.0.0.1', resolve));
    try {
      await expect(startLocalServices({ mode: 'persistent', dataDir, dynamodbPort: takenPort })).rejects.toThrow(
        `Port ${takenPort} for DynamoDB Local is already in use`,
      );
    } finally {
      await new Promise((resolve) => occupier.close(resolve));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
