/**
 * Leases in the partitions table: `lease#<topicId>#<partition>` (or any
 * other name under `lease#`) → owner, expiresAtMs, and `expiresAt` in epoch
 * seconds for DynamoDB's TTL to sweep. Acquire, renew and release are
 * conditional, so at most one owner holds a lease at a time; a lease whose
 * owner died expires and can be taken over.
 */
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isConditionalCheckFailed, toInfrastructureError } from './dynamodb-errors.js';
import { documentClient } from './document-client.js';

export const LEASE_PREFIX = 'lease#';

export function partitionLeaseName(topicId: string, partition: number): string {
  return `${LEASE_PREFIX}${topicId}#${partition}`;
}

/** The collector's one lease: a second collector at the same time would only repeat work. */
export const COLLECTOR_LEASE = `${LEASE_PREFIX}collector`;

export class LeaseStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = documentClient(dynamodb);
  }

  /** Takes the lease when free, expired, or already ours; false when someone else holds it. */
  async acquire(name: string, owner: string, nowMs: number, durationMs: number): Promise<boolean> {
    const expiresAtMs = nowMs + durationMs;
    return this.conditional('PutItem', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: name, owner, expiresAtMs, expiresAt: Math.ceil(expiresAtMs / 1000) },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs <= :now OR #o = :owner',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':now': nowMs, ':owner': owner },
        }),
      ),
    );
  }

  /** Extends our lease; false when it was lost (expired and taken by another owner). */
  async renew(name: string, owner: string, nowMs: number, durationMs: number): Promise<boolean> {
    const expiresAtMs = nowMs + durationMs;
    return this.conditional('UpdateItem', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: name },
          UpdateExpression: 'SET expiresAtMs = :exp, expiresAt = :ttl',
          ConditionExpression: '#o = :owner',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':exp': expiresAtMs, ':ttl': Math.ceil(expiresAtMs / 1000), ':owner': owner },
        }),
      ),
    );
  }

  /** Gives the lease up if we still hold it. */
  async release(name: string, owner: string): Promise<void> {
    await this.conditional('DeleteItem', () =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: name },
          ConditionExpression: '#o = :owner',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      ),
    );
  }

  private async conditional(operation: string, send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw toInfrastructureError(err, operation);
    }
  }
}
