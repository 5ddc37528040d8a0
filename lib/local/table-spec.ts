/**
 * What it takes to create one table: a CreateTable input and, when items
 * expire, the TTL attribute. Built from names.ts (for tests) or from a
 * synthesized template (for the local stack).
 */
import type { AttributeDefinition, CreateTableCommandInput, KeySchemaElement } from '@aws-sdk/client-dynamodb';
import type { TableSchema } from '../names.js';

export interface TableSpec {
  readonly input: CreateTableCommandInput & { readonly TableName: string };
  readonly ttlAttribute?: string;
}

/** The spec of a table named `tableName` with one of the schemas in names.ts. */
export function tableSpecFromSchema(tableName: string, schema: TableSchema): TableSpec {
  const keySchema: KeySchemaElement[] = [{ AttributeName: schema.partitionKey.name, KeyType: 'HASH' }];
  const attributes: AttributeDefinition[] = [
    { AttributeName: schema.partitionKey.name, AttributeType: schema.partitionKey.type },
  ];
  if (schema.sortKey !== undefined) {
    keySchema.push({ AttributeName: schema.sortKey.name, KeyType: 'RANGE' });
    attributes.push({ AttributeName: schema.sortKey.name, AttributeType: schema.sortKey.type });
  }
  const input = { TableName: tableName, KeySchema: keySchema, AttributeDefinitions: attributes, BillingMode: 'PAY_PER_REQUEST' as const };
  return schema.ttlAttribute === undefined ? { input } : { input, ttlAttribute: schema.ttlAttribute };
}
