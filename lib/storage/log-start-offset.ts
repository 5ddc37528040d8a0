/**
 * Moves partitions' log start offsets forward in one transaction (Kafka's
 * DeleteRecords): each head must still have the log start offset read and a
 * high watermark at or above the new one. Records below become unreadable at
 * once; retention deletes their index items and releases their objects later.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { partitionKey } from '../names.js';
import { documentClient } from './document-client.js';
import { transact, type TransactionItem, type TransactionOutcome } from './segment-transaction.js';

export interface LogStartMove {
  readonly topicId: string;
  readonly partition: number;
  readonly expected: number;
  readonly next: number;
}

export class LogStartMover {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
    private readonly random: () => number = Math.random,
  ) {
    this.doc = documentClient(dynamodb);
  }

  /** All moves or none; a failed outcome means a head changed since it was read. */
  move(moves: readonly LogStartMove[]): Promise<TransactionOutcome> {
    const items: TransactionItem[] = moves.map((m) => ({
      Update: {
        TableName: this.tableName,
        Key: { pk: partitionKey(m.topicId, m.partition) },
        UpdateExpression: 'SET logStartOffset = :next',
        ConditionExpression: 'logStartOffset = :expected AND highWatermark >= :next',
        ExpressionAttributeValues: { ':next': m.next, ':expected': m.expected },
      },
    }));
    return transact(this.doc, items, this.random);
  }
}
