import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../lib/aws/clients.js';
import { provisionTables, tableNamesForPrefix } from '../../lib/local/provision.js';
import { testAwsClients } from '../support/services.js';

let clients: AwsClients;

beforeAll(() => {
  clients = testAwsClients();
});

afterAll(() => {
  clients.dynamodb.destroy();
  clients.s3.destroy();
});

describe('provisioning', () => {
  it('names tables by prefix and role', () => {
    expect(tableNamesForPrefix('t1')).toEqual({
      topics: 't1-topics',
      partitions: 't1-partitions',
      batches: 't1-batches',
      objects: 't1-objects',
      producers: 't1-producers',
      groups: 't1-groups',
    });
  });

  it('creates the tables of names.ts with their keys and TTL, and may run again', async () => {
    const names = tableNamesForPrefix(`p-${randomUUID().slice(0, 8)}`);
    await provisionTables(clients.dynamodb, names);
    await provisionTables(clients.dynamodb, names);
    const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: names.batches }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'baseOffset', KeyType: 'RANGE' },
    ]);
    const ttl = await clients.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: names.producers }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('refuses to reuse a table whose key schema differs', async () => {
    const names = tableNamesForPrefix(`q-${randomUUID().slice(0, 8)}`);
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: names.topics,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await expect(provisionTables(clients.dynamodb, names)).rejects.toThrow(
      `Table ${names.topics} already exists with key schema [id:HASH], not [name:HASH]`,
    );
  });
});
