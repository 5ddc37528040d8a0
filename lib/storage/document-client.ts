/**
 * The one way lib/storage builds a DynamoDB DocumentClient, so every store
 * marshals items the same way: attributes whose value is undefined are left
 * out rather than rejected.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const MARSHALL_OPTIONS = { removeUndefinedValues: true } as const;

export function documentClient(dynamodb: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(dynamodb, { marshallOptions: MARSHALL_OPTIONS });
}
