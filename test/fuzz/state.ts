/** Everything a request could change, read back as one comparable value: every table's items and the bucket's keys. */
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../lib/aws/clients.js';
import { TABLE_ROLES, type TableRole } from '../../lib/names.js';

async function scanAll(clients: AwsClients, table: string): Promise<string[]> {
  const items: string[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await clients.dynamodb.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }));
    for (const item of out.Items ?? []) items.push(JSON.stringify(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))));
    start = out.LastEvaluatedKey;
  } while (start !== undefined);
  return items.sort();
}

async function listKeys(clients: AwsClients, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const out = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const o of out.Contents ?? []) keys.push(`${o.Key}:${o.Size}`);
    token = out.IsTruncated === true ? out.NextContinuationToken : undefined;
  } while (token !== undefined);
  return keys.sort();
}

export interface FullState {
  readonly tables: Readonly<Record<string, readonly string[]>>;
  readonly objects: readonly string[];
}

export async function fullState(clients: AwsClients, tables: Readonly<Record<TableRole, string>>, bucket: string): Promise<FullState> {
  const scanned = await Promise.all(TABLE_ROLES.map(async (role) => [role, await scanAll(clients, tables[role])] as const));
  return { tables: Object.fromEntries(scanned), objects: await listKeys(clients, bucket) };
}
