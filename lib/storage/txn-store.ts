/**
 * Reads and writes of the transaction coordinator's items: the meta, the
 * staged items, the open-transaction markers, and TransactWriteItems with
 * failed conditions handed back as data (never as SDK exceptions).
 */
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from './document-client.js';
import { allItems, queryItems } from './dynamodb-pages.js';
import { partitionKey } from '../names.js';
import { batchGetAll } from './batch-get.js';
import { failedConditions, isConditionalCheckFailed, toInfrastructureError } from './dynamodb-errors.js';
import { itemToMeta, metaKey, metaToItem, OPEN_MARKER_SHARDS, openMarkerKey, STAGED_PREFIX, txnPk, type TxnMeta } from './txn-meta.js';
import { itemToStaged, stagedBefore, stagedPrefix, type StagedItem } from './txn-staged.js';
import type { TxnTables, WriteItem } from './txn-items.js';
import { DYNAMODB_BATCH_WRITE_ITEMS, DYNAMODB_TRANSACTION_ITEMS } from '../limits.js';

type Item = Record<string, unknown>;

const MAX_ROUNDS = 20;

export type TransactOutcome =
  | { readonly ok: true }
  /** Per item of the request: whether its condition failed, and the item as it was (when asked for). */
  | { readonly ok: false; readonly failed: readonly { readonly index: number; readonly old: Item | undefined }[] };

/** A partition head as a commit sees it: its high watermark and the large commit holding it, if any. */
export interface LockableHead {
  readonly topicId: string;
  readonly partition: number;
  readonly highWatermark: number;
  readonly txnLock?: string;
  readonly txnBase?: number;
  readonly txnLockedAtMs?: number;
}

export interface StagedRecord {
  readonly sk: string;
  readonly staged: StagedItem;
}

export class TxnStore {
  readonly doc: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    readonly tables: TxnTables,
  ) {
    this.doc = documentClient(dynamodb);
  }

  async getMeta(transactionalId: string): Promise<TxnMeta | undefined> {
    const item = await this.get(this.tables.producers, metaKey(transactionalId));
    return item === undefined ? undefined : itemToMeta(item);
  }

  /** Writes the meta whole if its version is still `expectedVersion` (undefined: if it does not exist); false when it moved. */
  async putMeta(meta: TxnMeta, expectedVersion: number | undefined): Promise<boolean> {
    const condition =
      expectedVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } };
    try {
      await this.doc.send(new PutCommand({ TableName: this.tables.producers, Item: metaToItem(meta), ...condition }));
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw toInfrastructureError(err, 'PutItem');
    }
  }

  async get(tableName: string, key: Item): Promise<Item | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      return out.Item;
    } catch (err) {
      throw toInfrastructureError(err, 'GetItem');
    }
  }

  /** Heads of these partitions, strongly consistent, in the order asked (absent ones as empty). */
  async heads(partitions: readonly { topicId: string; partition: number }[]): Promise<LockableHead[]> {
    const keys = [...new Set(partitions.map((p) => partitionKey(p.topicId, p.partition)))].map((pk) => ({ pk }));
    const found = new Map((await batchGetAll(this.doc, this.tables.partitions, keys)).map((item) => [String(item.pk), item]));
    return partitions.map(({ topicId, partition }) => {
      const item = found.get(partitionKey(topicId, partition));
      const head: LockableHead = { topicId, partition, highWatermark: Number(item?.highWatermark ?? 0) };
      if (item?.txnLock === undefined) return head;
      return { ...head, txnLock: String(item.txnLock), txnBase: Number(item.txnBase), txnLockedAtMs: Number(item.txnLockedAtMs ?? 0) };
    });
  }

  /** One TransactWriteItems; failed conditions come back as data, other failures as infrastructure errors. */
  async transact(items: readonly WriteItem[], token?: string): Promise<TransactOutcome> {
    if (items.length > DYNAMODB_TRANSACTION_ITEMS) throw new Error(`A transaction of ${items.length} items exceeds DynamoDB's ${DYNAMODB_TRANSACTION_ITEMS}`);
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items as never, ...(token !== undefined ? { ClientRequestToken: token } : {}) }));
      return { ok: true };
    } catch (err) {
      const failed = failedConditions(err);
      if (failed === undefined) throw toInfrastructureError(err, 'TransactWriteItems');
      return { ok: false, failed };
    }
  }

  /** The staged items of transaction `txnSeq`, in sort-key order. */
  async staged(transactionalId: string, txnSeq: number): Promise<StagedRecord[]> {
    const items = await this.query(this.tables.producers, 'pk = :pk AND begins_with(sk, :prefix)', { ':pk': txnPk(transactionalId), ':prefix': stagedPrefix(txnSeq) });
    return items.map((item) => ({ sk: String(item.sk), staged: itemToStaged(item) }));
  }

  /** Sort keys of staged items left by transactions before `txnSeq`. */
  async stagedBefore(transactionalId: string, txnSeq: number): Promise<string[]> {
    const items = await this.query(this.tables.producers, 'pk = :pk AND sk BETWEEN :from AND :to', {
      ':pk': txnPk(transactionalId),
      ':from': STAGED_PREFIX,
      ':to': stagedBefore(txnSeq),
    });
    return items.map((item) => String(item.sk));
  }

  /** Deletes items of one transactional id by sort key (idempotent). */
  async deleteStaged(transactionalId: string, sortKeys: readonly string[]): Promise<void> {
    const pk = txnPk(transactionalId);
    for (let i = 0; i < sortKeys.length; i += DYNAMODB_BATCH_WRITE_ITEMS) {
      let requests: Item[] = sortKeys.slice(i, i + DYNAMODB_BATCH_WRITE_ITEMS).map((sk) => ({ DeleteRequest: { Key: { pk, sk } } }));
      for (let round = 0; requests.length > 0; round++) {
        if (round >= MAX_ROUNDS) throw toInfrastructureError(new Error('unprocessed items remain'), 'BatchWriteItem');
        try {
          const out = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tables.producers]: requests as never } }));
          requests = (out.UnprocessedItems?.[this.tables.producers] ?? []) as Item[];
        } catch (err) {
          throw toInfrastructureError(err, 'BatchWriteItem');
        }
      }
    }
  }

  /** Nothing references these ingest objects any more: the collector may delete them after its grace period. */
  async releaseObjects(objectKeys: readonly string[], nowMs: number): Promise<void> {
    for (const key of new Set(objectKeys)) {
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tables.objects,
            Key: { key },
            UpdateExpression: 'SET refs = :zero, releasedAt = if_not_exists(releasedAt, :now)',
            ConditionExpression: 'attribute_exists(#k)',
            ExpressionAttributeNames: { '#k': 'key' },
            ExpressionAttributeValues: { ':zero': 0, ':now': nowMs },
          }),
        );
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw toInfrastructureError(err, 'UpdateItem');
      }
    }
  }

  /** Removes the open marker unless a later transaction put it again. */
  async deleteOpenMarker(transactionalId: string, upToSeq: number): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tables.producers,
          Key: openMarkerKey(transactionalId),
          ConditionExpression: 'attribute_not_exists(txnSeq) OR txnSeq <= :s',
          ExpressionAttributeValues: { ':s': upToSeq },
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw toInfrastructureError(err, 'DeleteItem');
    }
  }

  /** Transactional ids that may have a transaction open (or cleanup pending). */
  async openTransactionalIds(): Promise<string[]> {
    const ids: string[] = [];
    for (let shard = 0; shard < OPEN_MARKER_SHARDS; shard++) {
      const items = await this.query(this.tables.producers, 'pk = :pk', { ':pk': `txn-open#${shard}` });
      ids.push(...items.map((i) => String(i.sk)));
    }
    return ids.sort();
  }

  private async query(tableName: string, condition: string, values: Item): Promise<Item[]> {
    return allItems(queryItems(this.doc, { TableName: tableName, ConsistentRead: true, KeyConditionExpression: condition, ExpressionAttributeValues: values }));
  }
}
