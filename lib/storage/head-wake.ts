/**
 * Wakes a partition's subscriptions without appending: the head item's
 * `wakes` counter goes up by one, which the partitions table's stream
 * carries to the trigger as any head change (docs/ARCHITECTURE.md, "Starting
 * a subscription on records already there"). Nothing of the log changes: the
 * high watermark, log start offset, bytes and transaction lock are left as
 * they are, and every write of those conditions on its own attributes only.
 * A partition never appended to has no head item, holds no records, and is
 * left alone.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { partitionKey } from '../names.js';
import { documentClient } from './document-client.js';
import { isConditionalCheckFailed, toInfrastructureError } from './dynamodb-errors.js';

/** The head attribute a wake moves (head-changes.ts reads it). */
export const HEAD_WAKES_ATTRIBUTE = 'wakes';

/** True when the partition had a head to wake. */
export async function wakeHead(dynamodb: DynamoDBClient, tableName: string, topicId: string, partition: number): Promise<boolean> {
  try {
    await documentClient(dynamodb).send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: partitionKey(topicId, partition) },
        UpdateExpression: 'ADD #w :one',
        ConditionExpression: 'attribute_exists(highWatermark)',
        ExpressionAttributeNames: { '#w': HEAD_WAKES_ATTRIBUTE },
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionalCheckFailed(err)) return false;
    throw toInfrastructureError(err, 'UpdateItem');
  }
}
