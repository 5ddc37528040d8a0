/**
 * Partition heads: per `topicId#partition`, the high watermark, log start
 * offset, last append time and bytes held. A head that was never written
 * reads as an empty partition (offsets 0, 0): heads are created by the first
 * append, so creating a topic or adding partitions writes no head items.
 */
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from './batch-get.js';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from './document-client.js';
import { partitionKey } from '../names.js';
import { toInfrastructureError } from './dynamodb-errors.js';

export interface PartitionHead {
  readonly topicId: string;
  readonly partition: number;
  readonly highWatermark: number;
  readonly logStartOffset: number;
  /** Epoch ms of the last commit; 0 when never written. */
  readonly lastAppendTime: number;
  /** Bytes held in the log between logStartOffset and highWatermark. */
  readonly bytes: number;
  /** False until the first append creates the item. */
  readonly exists: boolean;
}

export function emptyHead(topicId: string, partition: number): PartitionHead {
  return { topicId, partition, highWatermark: 0, logStartOffset: 0, lastAppendTime: 0, bytes: 0, exists: false };
}

export function headFromItem(topicId: string, partition: number, item: Record<string, unknown> | undefined): PartitionHead {
  if (item === undefined) return emptyHead(topicId, partition);
  return {
    topicId,
    partition,
    highWatermark: Number(item.highWatermark ?? 0),
    logStartOffset: Number(item.logStartOffset ?? 0),
    lastAppendTime: Number(item.lastAppendTime ?? 0),
    bytes: Number(item.bytes ?? 0),
    exists: true,
  };
}

export class PartitionHeads {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = documentClient(dynamodb);
  }

  async get(topicId: string, partition: number): Promise<PartitionHead> {
    try {
      const out = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: partitionKey(topicId, partition) }, ConsistentRead: true }),
      );
      return headFromItem(topicId, partition, out.Item);
    } catch (err) {
      throw toInfrastructureError(err, 'GetItem');
    }
  }

  /** Heads of the given partitions, strongly consistent, in the order asked. */
  async getMany(topicId: string, partitions: readonly number[]): Promise<PartitionHead[]> {
    const items = await batchGetAll(this.doc, this.tableName, partitions.map((p) => ({ pk: partitionKey(topicId, p) })));
    const found = new Map(items.map((item) => [String(item.pk), item]));
    return partitions.map((p) => headFromItem(topicId, p, found.get(partitionKey(topicId, p))));
  }

}
