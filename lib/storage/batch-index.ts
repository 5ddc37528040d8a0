/**
 * The batch index: per `topicId#partition`, one item per committed batch or
 * aggregated run of batches (or, after segment compaction, per segment), sorted by base offset, pointing at
 * an object and a byte range in it. It covers [logStartOffset, highWatermark)
 * with no gap and no overlap (offsets stay contiguous).
 */
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from './document-client.js';
import { queryItems } from './dynamodb-pages.js';
import { partitionKey } from '../names.js';
import { toInfrastructureError } from './dynamodb-errors.js';

/** Where a batch's bytes lie in an object, and what the batch holds. */
export interface BatchLocation {
  readonly objectKey: string;
  readonly position: number;
  readonly sizeBytes: number;
  readonly recordCount: number;
  readonly firstTimestamp: number;
  readonly maxTimestamp: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  /**
   * Batches in the range when more than one: an aggregated commit's run of
   * several requests' batches in an ingest object (their baseOffset fields
   * are 0 and take offsets back to back from the item's), or a segment.
   * Absent means one batch (or, for a segment, not counted).
   */
  readonly batchCount?: number;
}

export interface BatchIndexEntry extends BatchLocation {
  readonly baseOffset: number;
  /** Inclusive. */
  readonly lastOffset: number;
  readonly baseSequence: number;
  readonly isTransactional: boolean;
  readonly appendTime: number;
}

export function entryToItem(topicId: string, partition: number, e: BatchIndexEntry): Record<string, unknown> {
  return { pk: partitionKey(topicId, partition), ...e };
}

/** The location fields of a stored batch item; an item written without producer fields has producer id and epoch -1. */
export function itemToLocation(item: Record<string, unknown>): BatchLocation {
  return {
    objectKey: String(item.objectKey),
    position: Number(item.position),
    sizeBytes: Number(item.sizeBytes),
    recordCount: Number(item.recordCount),
    firstTimestamp: Number(item.firstTimestamp),
    maxTimestamp: Number(item.maxTimestamp),
    producerId: Number(item.producerId ?? -1),
    producerEpoch: Number(item.producerEpoch ?? -1),
    ...(item.batchCount !== undefined ? { batchCount: Number(item.batchCount) } : {}),
  };
}

export function itemToEntry(item: Record<string, unknown>): BatchIndexEntry {
  return {
    baseOffset: Number(item.baseOffset),
    lastOffset: Number(item.lastOffset),
    ...itemToLocation(item),
    baseSequence: Number(item.baseSequence ?? -1),
    isTransactional: item.isTransactional === true,
    appendTime: Number(item.appendTime ?? 0),
  };
}

export class BatchIndex {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = documentClient(dynamodb);
  }

  /** The entry whose range holds `offset`, if any (the last entry starting at or before it). */
  async containing(topicId: string, partition: number, offset: number): Promise<BatchIndexEntry | undefined> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk AND baseOffset <= :o',
      ExpressionAttributeValues: { ':pk': partitionKey(topicId, partition), ':o': offset },
      ScanIndexForward: false,
      Limit: 1,
    });
    const entry = items[0];
    return entry !== undefined && entry.lastOffset >= offset ? entry : undefined;
  }

  /** Entries starting after `afterOffset` and before `beforeOffset`, ascending, at most `limit`. */
  async range(topicId: string, partition: number, afterOffset: number, beforeOffset: number, limit: number): Promise<BatchIndexEntry[]> {
    if (beforeOffset <= afterOffset + 1) return [];
    return this.query({
      KeyConditionExpression: 'pk = :pk AND baseOffset BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': partitionKey(topicId, partition), ':lo': afterOffset + 1, ':hi': beforeOffset - 1 },
      ScanIndexForward: true,
      Limit: limit,
    });
  }

  /** Every entry of a partition from `fromOffset`, ascending, page by page. */
  async *scan(topicId: string, partition: number, fromOffset = 0): AsyncGenerator<BatchIndexEntry> {
    const items = queryItems(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND baseOffset >= :o',
      ExpressionAttributeValues: { ':pk': partitionKey(topicId, partition), ':o': fromOffset },
      ConsistentRead: true,
    });
    for await (const item of items) yield itemToEntry(item);
  }

  /** Every entry of a partition, newest first, page by page (the reader stops when it has seen enough). */
  async *newestFirst(topicId: string, partition: number): AsyncGenerator<BatchIndexEntry> {
    const items = queryItems(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': partitionKey(topicId, partition) },
      ScanIndexForward: false,
      ConsistentRead: true,
    });
    for await (const item of items) yield itemToEntry(item);
  }

  private async query(input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>): Promise<BatchIndexEntry[]> {
    try {
      const out = await this.doc.send(new QueryCommand({ TableName: this.tableName, ConsistentRead: true, ...input }));
      return (out.Items ?? []).map(itemToEntry);
    } catch (err) {
      throw toInfrastructureError(err, 'Query');
    }
  }
}
