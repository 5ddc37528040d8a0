/**
 * Every page of a DynamoDB Query or Scan, through the SDK's paginators, with
 * DynamoDB's failures translated as everywhere in lib/storage.
 */
import { paginateQuery, paginateScan, type DynamoDBDocumentClient, type QueryCommandInput, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { toInfrastructureError } from './dynamodb-errors.js';

export type Item = Record<string, unknown>;

/** The items a Query matches, page after page, in the table's order. */
export async function* queryItems(doc: DynamoDBDocumentClient, input: QueryCommandInput): AsyncGenerator<Item> {
  try {
    for await (const page of paginateQuery({ client: doc }, input)) yield* page.Items ?? [];
  } catch (err) {
    throw toInfrastructureError(err, 'Query');
  }
}

/** The items a Scan finds, page after page. */
export async function* scanItems(doc: DynamoDBDocumentClient, input: ScanCommandInput): AsyncGenerator<Item> {
  try {
    for await (const page of paginateScan({ client: doc }, input)) yield* page.Items ?? [];
  } catch (err) {
    throw toInfrastructureError(err, 'Scan');
  }
}

/** Every item of a paged read, collected. */
export async function allItems(items: AsyncIterable<Item>): Promise<Item[]> {
  const all: Item[] = [];
  for await (const item of items) all.push(item);
  return all;
}
