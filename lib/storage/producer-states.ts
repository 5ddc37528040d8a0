/**
 * Idempotent producers' state per partition: epoch, last sequence, and the
 * last five batches (sequence range → offsets) so a retry, even out of
 * order, is answered with its original offsets. Items expire by TTL after
 * producer.id.expiration.ms, as Kafka forgets idle producers.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from './batch-get.js';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from './document-client.js';
import { partitionKey } from '../names.js';

/** Kafka keeps five batches per producer and partition. */
export const REMEMBERED_BATCHES = 5;
/** Kafka's producer.id.expiration.ms default: one day. */
export const PRODUCER_ID_EXPIRATION_MS = 86_400_000;

export interface RememberedBatch {
  readonly baseSequence: number;
  readonly lastSequence: number;
  readonly baseOffset: number;
  readonly appendTime: number;
}

export interface ProducerPartitionState {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly lastSequence: number;
  /** Newest last. */
  readonly batches: readonly RememberedBatch[];
}

/** Producer-state items' partition keys start with this. */
export const PRODUCER_PK_PREFIX = 'producer#';

export function producerKey(producerId: number): string {
  return `${PRODUCER_PK_PREFIX}${producerId}`;
}

export function producerStateKey(producerId: number, topicId: string, partition: number): { pk: string; sk: string } {
  return { pk: producerKey(producerId), sk: partitionKey(topicId, partition) };
}

export function stateFromItem(item: Record<string, unknown> | undefined): ProducerPartitionState | undefined {
  if (item === undefined) return undefined;
  return {
    producerId: Number(item.producerId),
    producerEpoch: Number(item.producerEpoch),
    lastSequence: Number(item.lastSequence),
    batches: ((item.batches ?? []) as Record<string, unknown>[]).map((b) => ({
      baseSequence: Number(b.baseSequence),
      lastSequence: Number(b.lastSequence),
      baseOffset: Number(b.baseOffset),
      appendTime: Number(b.appendTime),
    })),
  };
}

export class ProducerStates {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = documentClient(dynamodb);
  }

  /** States for (producerId, topicId, partition) triples, strongly consistent; missing ones absent from the map. */
  async getMany(keys: readonly { producerId: number; topicId: string; partition: number }[]): Promise<Map<string, ProducerPartitionState>> {
    const items = await batchGetAll(this.doc, this.tableName, keys.map((k) => producerStateKey(k.producerId, k.topicId, k.partition)));
    const found = new Map<string, ProducerPartitionState>();
    for (const item of items) {
      const state = stateFromItem(item);
      if (state !== undefined) found.set(`${String(item.pk)}|${String(item.sk)}`, state);
    }
    return found;
  }

}

export function stateMapKey(producerId: number, topicId: string, partition: number): string {
  const k = producerStateKey(producerId, topicId, partition);
  return `${k.pk}|${k.sk}`;
}
