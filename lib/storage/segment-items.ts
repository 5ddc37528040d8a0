/**
 * Index-item changes maintenance makes, as transaction items: replace a run
 * of items by one (segment compaction), replace an item by a rewritten one
 * (log compaction), delete items (retention, topic removal). Every change is
 * conditional on the item being exactly what was read, so two workers can
 * never both apply a change to the same item: one loses its condition and
 * nothing of its transaction happens (offsets stay contiguous at every
 * moment).
 */
import { DeleteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { partitionKey } from '../names.js';
import { retry } from '../retry.js';
import { entryToItem, type BatchIndexEntry } from './batch-index.js';
import { isConditionalCheckFailed, toInfrastructureError } from './dynamodb-errors.js';
import { isSegmentKey } from './segment-keys.js';
import { documentClient } from './document-client.js';
import { transact, type TransactionItem, type TransactionOutcome } from './segment-transaction.js';

const UNCHANGED = 'objectKey = :oldKey AND #pos = :oldPos AND lastOffset = :oldLast';

function unchangedValues(old: BatchIndexEntry): Record<string, unknown> {
  return { ':oldKey': old.objectKey, ':oldPos': old.position, ':oldLast': old.lastOffset };
}

export class SegmentItems {
  readonly doc: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tables: { readonly batches: string; readonly partitions: string },
    private readonly random: () => number = Math.random,
  ) {
    this.doc = documentClient(dynamodb);
  }

  /** Puts `next` in place of `old` (same base offset), if `old` is unchanged. */
  replace(topicId: string, partition: number, old: BatchIndexEntry, next: BatchIndexEntry): TransactionItem {
    if (next.baseOffset !== old.baseOffset) throw new Error(`A replacement must keep base offset ${old.baseOffset}`);
    return {
      Put: {
        TableName: this.tables.batches,
        Item: { ...entryToItem(topicId, partition, next), ...(isSegmentKey(next.objectKey) ? { segment: true } : {}) },
        ConditionExpression: UNCHANGED,
        ExpressionAttributeNames: { '#pos': 'position' },
        ExpressionAttributeValues: unchangedValues(old),
      },
    };
  }

  /** Deletes `old`, if unchanged. */
  remove(topicId: string, partition: number, old: BatchIndexEntry): TransactionItem {
    return {
      Delete: {
        TableName: this.tables.batches,
        Key: { pk: partitionKey(topicId, partition), baseOffset: old.baseOffset },
        ConditionExpression: UNCHANGED,
        ExpressionAttributeNames: { '#pos': 'position' },
        ExpressionAttributeValues: unchangedValues(old),
      },
    };
  }

  /** Moves the head's byte count (which tracks the bytes of the partition's index items). */
  headBytes(topicId: string, partition: number, deltaBytes: number): TransactionItem {
    return {
      Update: {
        TableName: this.tables.partitions,
        Key: { pk: partitionKey(topicId, partition) },
        UpdateExpression: 'ADD #b :delta',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#b': 'bytes' },
        ExpressionAttributeValues: { ':delta': deltaBytes },
      },
    };
  }

  commit(items: readonly TransactionItem[]): Promise<TransactionOutcome> {
    return transact(this.doc, items, this.random);
  }

  /**
   * Moves a head's logStartOffset from `expected` to `next`, never past the
   * high watermark; false when it moved meanwhile (or would pass it).
   */
  async advanceLogStart(topicId: string, partition: number, expected: number, next: number): Promise<boolean> {
    return retry(() => this.tryAdvanceLogStart(topicId, partition, expected, next), { maxAttempts: 6, initialDelayMs: 20, random: this.random });
  }

  private async tryAdvanceLogStart(topicId: string, partition: number, expected: number, next: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tables.partitions,
          Key: { pk: partitionKey(topicId, partition) },
          UpdateExpression: 'SET logStartOffset = :next',
          ConditionExpression: 'logStartOffset = :expected AND highWatermark >= :next',
          ExpressionAttributeValues: { ':next': next, ':expected': expected },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw toInfrastructureError(err, 'UpdateItem');
    }
  }

  /** Deletes a partition-table item outright (a removed topic's head, lease or checkpoint). */
  async deletePartitionItem(pk: string): Promise<void> {
    try {
      await this.doc.send(new DeleteCommand({ TableName: this.tables.partitions, Key: { pk } }));
    } catch (err) {
      throw toInfrastructureError(err, 'DeleteItem');
    }
  }
}
