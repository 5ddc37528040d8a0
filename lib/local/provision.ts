/**
 * Creates tables and buckets on the local services. Idempotent: a table that
 * already exists with the same key schema is kept, so a restarted persistent
 * stack finds its data.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { TABLES, TABLE_ROLES, type TableRole } from '../names.js';
import type { LocalTemplate } from './template.js';
import { tableSpecFromSchema, type TableSpec } from './table-spec.js';

const ACTIVE_POLL_INTERVAL_MS = 50;
const ACTIVE_MAX_POLLS = 600;

/** Table names for a name prefix: `<prefix>-<role>`. */
export function tableNamesForPrefix(prefix: string): Record<TableRole, string> {
  return Object.fromEntries(TABLE_ROLES.map((role) => [role, `${prefix}-${role}`])) as Record<TableRole, string>;
}

/** Creates the tables of names.ts under the given names (no synthesized stack needed). */
export async function provisionTables(ddb: DynamoDBClient, names: Readonly<Record<TableRole, string>>): Promise<void> {
  await ensureTables(
    ddb,
    TABLE_ROLES.map((role) => tableSpecFromSchema(names[role], TABLES[role])),
  );
}

/** Creates every table and bucket a synthesized template declares. */
export async function provisionTemplate(ddb: DynamoDBClient, s3: S3Client, template: LocalTemplate): Promise<void> {
  await Promise.all([
    ensureTables(
      ddb,
      template.tables.map((table) => table.spec),
    ),
    ...template.buckets.map((bucket) => ensureBucket(s3, bucket.bucketName)),
  ]);
}

export async function ensureBucket(s3: S3Client, bucketName: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucketName }));
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucketName }));
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
}

async function ensureTables(ddb: DynamoDBClient, specs: readonly TableSpec[]): Promise<void> {
  await Promise.all(specs.map((spec) => ensureTable(ddb, spec)));
}

async function ensureTable(ddb: DynamoDBClient, spec: TableSpec): Promise<void> {
  const tableName = spec.input.TableName;
  const existing = await describeTable(ddb, tableName);
  if (existing === undefined) {
    await createTable(ddb, spec);
  } else {
    assertSameKeySchema(tableName, existing.KeySchema ?? [], spec.input.KeySchema ?? []);
    const stream = spec.input.StreamSpecification;
    if (stream !== undefined && existing.StreamSpecification?.StreamEnabled !== true) {
      // A table made before the app's first subscription: its stream is turned on now.
      await waitUntilActive(ddb, tableName);
      await ddb.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: stream }));
    }
  }
  await waitUntilActive(ddb, tableName);
  if (spec.ttlAttribute !== undefined) await ensureTimeToLive(ddb, tableName, spec.ttlAttribute);
}

async function createTable(ddb: DynamoDBClient, spec: TableSpec): Promise<void> {
  try {
    await ddb.send(new CreateTableCommand(spec.input));
  } catch (error) {
    // Created by someone else meanwhile: the key schema check below applies then.
    if (!(error instanceof ResourceInUseException)) throw error;
    const existing = await describeTable(ddb, spec.input.TableName);
    assertSameKeySchema(spec.input.TableName, existing?.KeySchema ?? [], spec.input.KeySchema ?? []);
  }
}

async function describeTable(ddb: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: tableName }));
    return Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

function assertSameKeySchema(tableName: string, actual: readonly KeySchemaElement[], wanted: readonly KeySchemaElement[]): void {
  const describe = (keys: readonly KeySchemaElement[]): string => keys.map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');
  if (describe(actual) !== describe(wanted)) {
    throw new Error(
      `Table ${tableName} already exists with key schema [${describe(actual)}], not [${describe(wanted)}]. ` +
        'Delete it (or the local stack\'s data directory) to create it again.',
    );
  }
}

async function waitUntilActive(ddb: DynamoDBClient, tableName: string): Promise<void> {
  for (let poll = 0; poll < ACTIVE_MAX_POLLS; poll++) {
    const table = await describeTable(ddb, tableName);
    if (table?.TableStatus === 'ACTIVE') return;
    await sleep(ACTIVE_POLL_INTERVAL_MS);
  }
  throw new Error(`Table ${tableName} did not become ACTIVE after ${ACTIVE_MAX_POLLS} checks.`);
}

async function ensureTimeToLive(ddb: DynamoDBClient, tableName: string, attributeName: string): Promise<void> {
  const { TimeToLiveDescription: ttl } = await ddb.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const enabled = ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING';
  if (enabled && ttl?.AttributeName === attributeName) return;
  await ddb.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: attributeName, Enabled: true },
    }),
  );
}

function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'NotFound' || error.name === 'NoSuchBucket' || status === 404;
}
