import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../lib/aws/clients.js';
import type { TableRole } from '../../lib/names.js';
import { createTestBucket, createTestTables, testAwsClients } from '../support/services.js';

let clients: AwsClients;
let tables: Record<TableRole, string>;

beforeAll(async () => {
  clients = testAwsClients();
  tables = await createTestTables();
});

afterAll(() => {
  clients.dynamodb.destroy();
  clients.s3.destroy();
});

describe('the test services behave as AWS does', () => {
  it('cancels a transaction whose ConditionCheck fails, writing none of it', async () => {
    const transaction = new TransactWriteItemsCommand({
      TransactItems: [
        {
          ConditionCheck: {
            TableName: tables.topics,
            Key: { name: { S: 'absent-topic' } },
            ConditionExpression: 'attribute_exists(#name)',
            ExpressionAttributeNames: { '#name': 'name' },
          },
        },
        { Put: { TableName: tables.partitions, Item: { pk: { S: 'absent-topic#0' }, highWatermark: { N: '0' } } } },
      ],
    });
    const error = await clients.dynamodb.send(transaction).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((reason) => reason.Code)).toEqual([
      'ConditionalCheckFailed',
      'None',
    ]);
    const { Item } = await clients.dynamodb.send(new GetItemCommand({ TableName: tables.partitions, Key: { pk: { S: 'absent-topic#0' } } }));
    expect(Item).toBeUndefined();
  });

  it('commits a transaction whose conditions hold', async () => {
    await clients.dynamodb.send(new PutItemCommand({ TableName: tables.topics, Item: { name: { S: 'orders' } } }));
    await clients.dynamodb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { ConditionCheck: { TableName: tables.topics, Key: { name: { S: 'orders' } }, ConditionExpression: 'attribute_exists(#n)', ExpressionAttributeNames: { '#n': 'name' } } },
          { Put: { TableName: tables.partitions, Item: { pk: { S: 'orders#0' }, highWatermark: { N: '0' } } } },
        ],
      }),
    );
    const { Item } = await clients.dynamodb.send(new GetItemCommand({ TableName: tables.partitions, Key: { pk: { S: 'orders#0' } } }));
    expect(Item?.highWatermark).toEqual({ N: '0' });
  });

  it('refuses a conditional put when its condition fails', async () => {
    const put = (): PutItemCommand =>
      new PutItemCommand({
        TableName: tables.batches,
        Item: { pk: { S: 't#0' }, baseOffset: { N: '0' } },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    await clients.dynamodb.send(put());
    await expect(clients.dynamodb.send(put())).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('answers a ranged GET with exactly the requested bytes', async () => {
    const bucket = await createTestBucket();
    await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'segment', Body: Buffer.from('0123456789') }));
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'segment', Range: 'bytes=3-6' }));
    expect(object.ContentRange).toBe('bytes 3-6/10');
    expect(Buffer.from(await object.Body!.transformToByteArray()).toString()).toBe('3456');
  });
});
