/** Every item of a table that passes a filter, read strongly consistent through the SDK's paginator. */
import { paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toInfrastructureError } from './dynamodb-errors.js';

type Item = Record<string, unknown>;

export async function scanWhere(doc: DynamoDBDocumentClient, tableName: string, filter: string, values: Item): Promise<Item[]> {
  const items: Item[] = [];
  try {
    for await (const page of paginateScan({ client: doc }, { TableName: tableName, ConsistentRead: true, FilterExpression: filter, ExpressionAttributeValues: values })) {
      items.push(...((page.Items ?? []) as Item[]));
    }
  } catch (err) {
    throw toInfrastructureError(err, 'Scan');
  }
  return items;
}
