/**
 * The log cleaner's checkpoint per partition, in the partitions table under
 * `cleaner#<topicId>#<partition>`: how far the log has been cleaned, and the
 * earliest time a kept tombstone becomes removable. A partition with nothing
 * new to clean and no tombstone due is not read again.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { toInfrastructureError } from './dynamodb-errors.js';
import { documentClient } from './document-client.js';

export interface CleanerCheckpoint {
  /** Offsets below this were in segments the last cleaning read. */
  readonly cleanedUpTo: number;
  /** Epoch ms when the first tombstone kept by the last cleaning may go; undefined when none was kept. */
  readonly tombstoneDueMs?: number;
}

export function cleanerCheckpointKey(topicId: string, partition: number): string {
  return `cleaner#${topicId}#${partition}`;
}

export class CleanerCheckpoints {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = documentClient(dynamodb);
  }

  async get(topicId: string, partition: number): Promise<CleanerCheckpoint | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: cleanerCheckpointKey(topicId, partition) }, ConsistentRead: true }));
      if (out.Item === undefined) return undefined;
      const due = out.Item.tombstoneDueMs;
      return { cleanedUpTo: Number(out.Item.cleanedUpTo ?? 0), ...(due !== undefined ? { tombstoneDueMs: Number(due) } : {}) };
    } catch (err) {
      throw toInfrastructureError(err, 'GetItem');
    }
  }

  async put(topicId: string, partition: number, checkpoint: CleanerCheckpoint): Promise<void> {
    try {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: cleanerCheckpointKey(topicId, partition), ...checkpoint } }));
    } catch (err) {
      throw toInfrastructureError(err, 'PutItem');
    }
  }
}
