/**
 * Strongly consistent BatchGetItem over any number of keys: 100 keys a call,
 * unprocessed keys asked again (a bounded number of rounds).
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toInfrastructureError } from './dynamodb-errors.js';
import { DYNAMODB_BATCH_GET_ITEMS } from '../limits.js';

const MAX_ROUNDS = 20;

export async function batchGetAll(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += DYNAMODB_BATCH_GET_ITEMS) {
    let pending = keys.slice(i, i + DYNAMODB_BATCH_GET_ITEMS);
    for (let round = 0; pending.length > 0; round++) {
      if (round >= MAX_ROUNDS) throw toInfrastructureError(new Error('unprocessed keys remain'), 'BatchGetItem');
      try {
        const out = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [...pending], ConsistentRead: true } } }));
        items.push(...(out.Responses?.[tableName] ?? []));
        pending = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
      } catch (err) {
        throw toInfrastructureError(err, 'BatchGetItem');
      }
    }
  }
  return items;
}
