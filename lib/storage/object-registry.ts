/**
 * The object registry as maintenance sees it. One item per S3 object (a
 * segment's `.log` stands for its `.index` and `.timeindex` too):
 *
 *   key, refs        index items pointing at the object, kept exact: every
 *                    transaction that adds or removes an index item moves refs
 *   createdAt        when the item was written
 *   state            'pending' (a segment reserved, not yet swapped in),
 *                    'live' (or absent: a produce commit's item), 'deleting'
 *   owner            the maintenance run that reserved a segment key
 *   releasedAt       when refs last went down
 *
 * The collector's rule: an object may be deleted once refs = 0 and the
 * grace period has passed since releasedAt (or createdAt, for a reservation
 * never swapped in). It first sets state = 'deleting' under exactly that
 * condition; every transaction that adds a reference requires
 * state <> 'deleting'. So once marked, nothing can point at the object again.
 */
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isConditionalCheckFailed, toInfrastructureError } from './dynamodb-errors.js';
import { documentClient } from './document-client.js';
import { scanItems } from './dynamodb-pages.js';
import { batchGetAll } from './batch-get.js';
import type { TransactionItem } from './segment-transaction.js';
import { DYNAMODB_BATCH_GET_ITEMS } from '../limits.js';

export type RegistryState = 'pending' | 'live' | 'deleting';

/** The condition for taking a new reference on an object: no registry item yet, or one not marked for deletion. */
export const OBJECT_NOT_DELETING = 'attribute_not_exists(#k) OR #s <> :deleting';

export interface RegistryItem {
  readonly key: string;
  readonly refs: number;
  readonly createdAt: number;
  readonly state: RegistryState;
  readonly owner?: string;
  readonly releasedAt?: number;
  /** A collected orphan's tombstone: kept (not forgotten) until then, so a commit that comes that late is still refused. */
  readonly keepUntilMs?: number;
}

/** How long an orphan's tombstone outlives its marking: far longer than any request (Lambda's limit is 15 minutes). */
export const ORPHAN_TOMBSTONE_MS = 24 * 60 * 60 * 1000;


function toItem(raw: Record<string, unknown>): RegistryItem {
  const state = raw.state === 'pending' || raw.state === 'deleting' ? raw.state : 'live';
  return {
    key: String(raw.key),
    refs: Number(raw.refs ?? 0),
    createdAt: Number(raw.createdAt ?? 0),
    state,
    ...(typeof raw.owner === 'string' ? { owner: raw.owner } : {}),
    ...(raw.releasedAt !== undefined ? { releasedAt: Number(raw.releasedAt) } : {}),
    ...(raw.expiresAt !== undefined ? { keepUntilMs: Number(raw.expiresAt) * 1000 } : {}),
  };
}

export class ObjectRegistry {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    readonly tableName: string,
  ) {
    this.doc = documentClient(dynamodb);
  }

  /** Claims a new segment key for `owner`; false when the key is taken. */
  reserve(key: string, owner: string, nowMs: number): Promise<boolean> {
    return this.putIfAbsent({ key, refs: 0, createdAt: nowMs, state: 'pending', owner });
  }

  /** Puts a new item; false when the key already has one. */
  private async putIfAbsent(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: { '#k': 'key' } }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw toInfrastructureError(err, 'PutItem');
    }
  }

  async get(key: string): Promise<RegistryItem | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { key }, ConsistentRead: true }));
      return out.Item === undefined ? undefined : toItem(out.Item);
    } catch (err) {
      throw toInfrastructureError(err, 'GetItem');
    }
  }

  /** Items with no reference or already being deleted: the collector's candidates. */
  async *unreferenced(): AsyncGenerator<RegistryItem> {
    const items = scanItems(this.doc, {
      TableName: this.tableName,
      ConsistentRead: true,
      FilterExpression: 'refs <= :zero OR #s = :deleting',
      ExpressionAttributeNames: { '#s': 'state' },
      ExpressionAttributeValues: { ':zero': 0, ':deleting': 'deleting' },
    });
    for await (const raw of items) yield toItem(raw);
  }

  /**
   * Marks an object for deletion if it still has no reference and has had
   * none since `cutoffMs`; false when that no longer holds.
   */
  async markDeleting(key: string, cutoffMs: number): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { key },
          UpdateExpression: 'SET #s = :deleting',
          ConditionExpression:
            'attribute_exists(#k) AND refs <= :zero AND (attribute_not_exists(#s) OR #s <> :deleting) AND (releasedAt <= :cutoff OR (attribute_not_exists(releasedAt) AND createdAt <= :cutoff))',
          ExpressionAttributeNames: { '#k': 'key', '#s': 'state' },
          ExpressionAttributeValues: { ':deleting': 'deleting', ':zero': 0, ':cutoff': cutoffMs },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw toInfrastructureError(err, 'UpdateItem');
    }
  }

  /**
   * Marks an ingest object no commit registered as being deleted; false when
   * a commit registered it meanwhile (or another collector marked it). From
   * then on no commit can register it (they require OBJECT_NOT_DELETING).
   */
  markOrphan(key: string, nowMs: number): Promise<boolean> {
    // expiresAt (seconds) lets DynamoDB's TTL remove the tombstone some time after it no longer matters.
    return this.putIfAbsent({ key, refs: 0, createdAt: nowMs, state: 'deleting', expiresAt: Math.ceil((nowMs + ORPHAN_TOMBSTONE_MS) / 1000) });
  }

  /** Removes the item of an object already deleted from S3 (a tombstone only once it may go). */
  async forget(key: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { key },
          ConditionExpression: '#s = :deleting',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':deleting': 'deleting' },
        }),
      );
    } catch (err) {
      if (isConditionalCheckFailed(err)) return;
      throw toInfrastructureError(err, 'DeleteItem');
    }
  }

  /** The registry items of these keys that have one. */
  async getMany(keys: readonly string[]): Promise<RegistryItem[]> {
    const unique = [...new Set(keys)].map((key) => ({ key }));
    return (await batchGetAll(this.doc, this.tableName, unique)).map(toItem);
  }

  /** Which of `keys` have a registry item. */
  async existing(keys: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < keys.length; i += DYNAMODB_BATCH_GET_ITEMS) {
      let pending: Record<string, unknown>[] = [...new Set(keys.slice(i, i + DYNAMODB_BATCH_GET_ITEMS))].map((key) => ({ key }));
      for (let round = 0; pending.length > 0; round++) {
        if (round > 20) throw toInfrastructureError(new Error('unprocessed keys remain'), 'BatchGetItem');
        try {
          const out = await this.doc.send(
            new BatchGetCommand({
              RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true, ProjectionExpression: '#k', ExpressionAttributeNames: { '#k': 'key' } } },
            }),
          );
          for (const item of out.Responses?.[this.tableName] ?? []) found.add(String(item.key));
          pending = (out.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
        } catch (err) {
          throw toInfrastructureError(err, 'BatchGetItem');
        }
      }
    }
    return found;
  }

  /** Transaction item: `count` index items stop pointing at `key`. */
  release(key: string, count: number, nowMs: number): TransactionItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: { key },
        UpdateExpression: 'ADD refs :neg SET releasedAt = :now',
        ConditionExpression: 'refs >= :count',
        ExpressionAttributeValues: { ':neg': -count, ':count': count, ':now': nowMs },
      },
    };
  }

  /** Transaction item: `count` new index items point at a segment `owner` reserved; fails once it is being deleted. */
  acquire(key: string, count: number, owner: string): TransactionItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: { key },
        UpdateExpression: 'ADD refs :count SET #s = :live',
        ConditionExpression: '#o = :owner AND (attribute_not_exists(#s) OR #s <> :deleting)',
        ExpressionAttributeNames: { '#s': 'state', '#o': 'owner' },
        ExpressionAttributeValues: { ':count': count, ':live': 'live', ':owner': owner, ':deleting': 'deleting' },
      },
    };
  }
}
