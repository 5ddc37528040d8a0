/**
 * Reads for transaction administration: every transactional id's meta (a
 * scan of the producers table, filtered to the meta items), and the
 * producer states of one partition (a scan filtered to that partition's
 * items: producer states are keyed by producer, not by partition).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { partitionKey } from '../names.js';
import { PRODUCER_PK_PREFIX, stateFromItem, type ProducerPartitionState } from './producer-states.js';
import { documentClient } from './document-client.js';
import { allItems, scanItems } from './dynamodb-pages.js';
import { itemToMeta, META_SK, TXN_PK_PREFIX, type TxnMeta } from './txn-meta.js';

export interface ProducerStateRow extends ProducerPartitionState {
  /** TTL (seconds since the epoch) after which the state is forgotten (producer.id.expiration.ms). */
  readonly expiresAtS: number;
}

export class TxnListing {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly producersTable: string,
  ) {
    this.doc = documentClient(dynamodb);
  }

  /** Every transactional id's coordinator record, sorted by id. */
  async metas(): Promise<TxnMeta[]> {
    const items = await this.scanWhere('sk = :meta AND begins_with(pk, :txn)', { ':meta': META_SK, ':txn': TXN_PK_PREFIX });
    return items.map(itemToMeta).sort((a, b) => (a.transactionalId < b.transactionalId ? -1 : a.transactionalId > b.transactionalId ? 1 : 0));
  }

  /** The idempotent producers' states of one partition, by producer id. */
  async partitionProducers(topicId: string, partition: number): Promise<ProducerStateRow[]> {
    const items = await this.scanWhere('sk = :sk AND begins_with(pk, :producer)', { ':sk': partitionKey(topicId, partition), ':producer': PRODUCER_PK_PREFIX });
    return items.map((item) => ({ ...stateFromItem(item)!, expiresAtS: Number(item.expiresAt ?? 0) })).sort((a, b) => a.producerId - b.producerId);
  }

  /** Every item of the producers table that passes the filter, read strongly consistent. */
  private scanWhere(filter: string, values: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    return allItems(scanItems(this.doc, { TableName: this.producersTable, ConsistentRead: true, FilterExpression: filter, ExpressionAttributeValues: values }));
  }
}
