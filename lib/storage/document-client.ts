/**
 * The one way lib/storage builds a DynamoDB DocumentClient, so every store
 * marshals items the same way: attributes whose value is undefined are left
 * out rather than rejected.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { marshallOptions } from '@aws-sdk/util-dynamodb';

/** A new object at each call: the DocumentClient writes its own defaults into the options it is given. */
export function marshallingOptions(): marshallOptions {
  return { removeUndefinedValues: true };
}

export function documentClient(dynamodb: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(dynamodb, { marshallOptions: marshallingOptions() });
}
