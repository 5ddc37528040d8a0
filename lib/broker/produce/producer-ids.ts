/** Producer ids: an atomic counter in the producers table; a new session starts at epoch 0. */
import { UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { toInfrastructureError } from '../../storage/dynamodb-errors.js';
import type { InitProducerIdReply } from '../../protocol/log-replies.js';
import type { BrokerContext } from '../context.js';

export type ProducerIds = () => Promise<InitProducerIdReply>;

/** The produce function's producer ids job. */
export function createProducerIds(ctx: BrokerContext): ProducerIds {
  return () => initProducerId(ctx.dynamodb, ctx.tables.producers);
}

export async function initProducerId(dynamodb: DynamoDBClient, table: string): Promise<InitProducerIdReply> {
  try {
    const out = await dynamodb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: 'producer-ids' }, sk: { S: 'counter' } },
        UpdateExpression: 'ADD nextId :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const next = Number(out.Attributes?.nextId?.N ?? '1');
    return { producerId: next - 1, producerEpoch: 0 };
  } catch (err) {
    throw toInfrastructureError(err, 'UpdateItem');
  }
}
