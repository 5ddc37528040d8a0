/**
 * The commit of an append: one DynamoDB transaction that, per partition,
 * moves the head's high watermark from the expected value, puts one index
 * item per run of batches (one batch, or the batches of many requests lying
 * back to back in an aggregated object) at its offset, and (for idempotent
 * producers) advances each producer's state from the expected one; plus one
 * registry item saying the ingest object is referenced. Either every partition of the commit becomes
 * visible at once, or none does (no dirty reads, contiguous offsets,
 * exactly once per producer session).
 *
 * A failed condition is not an error here: it comes back as the current
 * head or producer state (`ReturnValuesOnConditionCheckFailure: ALL_OLD`),
 * so the caller can retry with fresh expectations without another read.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { TransactWriteItemsCommand, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { TableRole } from '../names.js';
import { partitionKey } from '../names.js';
import { marshallingOptions } from './document-client.js';
import { entryToItem, type BatchIndexEntry } from './batch-index.js';
import { failedConditions, toInfrastructureError } from './dynamodb-errors.js';
import { headFromItem, type PartitionHead } from './partition-heads.js';
import { OBJECT_NOT_DELETING } from './object-registry.js';
import {
  PRODUCER_ID_EXPIRATION_MS,
  REMEMBERED_BATCHES,
  producerStateKey,
  stateFromItem,
  stateMapKey,
  type ProducerPartitionState,
} from './producer-states.js';

export interface ProducerAdvance {
  readonly producerId: number;
  readonly producerEpoch: number;
  /** This commit's batches of the producer in the partition, in sequence order, with the offsets they take. */
  readonly batches: readonly { readonly baseSequence: number; readonly lastSequence: number; readonly baseOffset: number }[];
  /** The state read or guessed before the commit; undefined when none is expected to exist. */
  readonly expected: ProducerPartitionState | undefined;
}

/** One index item: batches lying back to back in the ingest object, taking offsets back to back. */
export interface IndexRun {
  readonly baseOffset: number;
  readonly offsetCount: number;
  readonly batch: Omit<BatchIndexEntry, 'baseOffset' | 'lastOffset' | 'appendTime'>;
}

/** What one partition gets in a commit: its head moved once, one index item per run, each producer's state advanced once. */
export interface AppendEntry {
  readonly topicId: string;
  readonly partition: number;
  /** The high watermark the head is expected to have: the first run's base offset. */
  readonly expectedHighWatermark: number;
  /** In offset order, back to back from the expected high watermark. */
  readonly runs: readonly IndexRun[];
  readonly producers: readonly ProducerAdvance[];
}

export interface AppendCommit {
  readonly objectKey: string;
  /** Topics the commit writes to: each is checked to still be the same topic (not deleted meanwhile). */
  readonly topics: readonly { readonly name: string; readonly topicId: string }[];
  readonly appendTime: number;
  readonly entries: readonly AppendEntry[];
  /** Idempotency token for DynamoDB (≤ 36 chars), distinct per attempt. */
  readonly token: string;
}

export type AppendOutcome =
  | { readonly committed: true }
  | {
      readonly committed: false;
      /** Current heads of partitions whose expected high watermark was stale, by partition key. */
      readonly staleHeads: ReadonlyMap<string, PartitionHead>;
      /** Current producer states (undefined: none) where the expected one was stale, by `stateMapKey`. */
      readonly staleProducers: ReadonlyMap<string, ProducerPartitionState | undefined>;
      /** Topics deleted since they were read. */
      readonly deletedTopics: readonly string[];
      /** The collector took the ingest object for an orphan (the request outlived its grace period): it cannot be committed. */
      readonly objectCollected: boolean;
    };

/** Items an entry takes in the transaction (one more per topic, and one for the object). */
export function itemsOf(entry: Pick<AppendEntry, 'runs' | 'producers'>): number {
  return 1 + entry.runs.length + entry.producers.length;
}

function offsetCountOf(entry: AppendEntry): number {
  return entry.runs.reduce((n, r) => n + r.offsetCount, 0);
}

function sizeOf(entry: AppendEntry): number {
  return entry.runs.reduce((n, r) => n + r.batch.sizeBytes, 0);
}

export class AppendCommitter {
  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly tables: Readonly<Pick<Record<TableRole, string>, 'topics' | 'partitions' | 'batches' | 'producers' | 'objects'>>,
  ) {}

  async commit(commit: AppendCommit): Promise<AppendOutcome> {
    const items: TransactWriteItem[] = [];
    const roles: ({ kind: 'head' | 'batch' | 'producer' | 'object' | 'topic'; entry?: AppendEntry; producer?: ProducerAdvance; topic?: string })[] = [];
    for (const topic of commit.topics) {
      items.push({
        ConditionCheck: {
          TableName: this.tables.topics,
          Key: marshall({ name: topic.name }),
          ConditionExpression: 'topicId = :id',
          ExpressionAttributeValues: marshall({ ':id': topic.topicId }),
        },
      });
      roles.push({ kind: 'topic', topic: topic.name });
    }
    for (const entry of commit.entries) {
      items.push(this.headUpdate(entry, commit.appendTime));
      roles.push({ kind: 'head', entry });
      for (const run of entry.runs) {
        items.push(this.batchPut(entry, run, commit));
        roles.push({ kind: 'batch', entry });
      }
      for (const producer of entry.producers) {
        items.push(this.producerUpdate(entry, producer, commit.appendTime));
        roles.push({ kind: 'producer', entry, producer });
      }
    }
    // Added, not put: a retry that appends the same object again (at least once) references it twice. Refused once
    // the collector marked the object (an orphan by then), so nothing ever points at an object being deleted.
    items.push({
      Update: {
        TableName: this.tables.objects,
        Key: marshall({ key: commit.objectKey }),
        UpdateExpression: 'ADD refs :n SET createdAt = if_not_exists(createdAt, :t)',
        ConditionExpression: OBJECT_NOT_DELETING,
        ExpressionAttributeNames: { '#k': 'key', '#s': 'state' },
        ExpressionAttributeValues: marshall({ ':n': commit.entries.reduce((n, e) => n + e.runs.length, 0), ':t': commit.appendTime, ':deleting': 'deleting' }),
      },
    });
    roles.push({ kind: 'object' });
    try {
      await this.dynamodb.send(new TransactWriteItemsCommand({ TransactItems: items, ClientRequestToken: commit.token }));
      return { committed: true };
    } catch (err) {
      const failed = failedConditions(err);
      if (failed === undefined) throw toInfrastructureError(err, 'TransactWriteItems');
      const staleHeads = new Map<string, PartitionHead>();
      const staleProducers = new Map<string, ProducerPartitionState | undefined>();
      const deletedTopics: string[] = [];
      let objectCollected = false;
      failed.forEach(({ index, old }) => {
        const role = roles[index]!;
        if (role.kind === 'topic') {
          deletedTopics.push(role.topic!);
          return;
        }
        if (role.kind === 'object') {
          objectCollected = true;
          return;
        }
        const entry = role.entry!;
        const key = partitionKey(entry.topicId, entry.partition);
        if (role.kind === 'head') staleHeads.set(key, headFromItem(entry.topicId, entry.partition, old));
        else if (role.kind === 'producer') staleProducers.set(stateMapKey(role.producer!.producerId, entry.topicId, entry.partition), stateFromItem(old));
        else if (role.kind === 'batch') {
          // An index item already at the expected offset: the head we expected is behind.
          staleHeads.set(key, { ...headFromItem(entry.topicId, entry.partition, undefined), highWatermark: -1 });
        }
      });
      return { committed: false, staleHeads, staleProducers, deletedTopics, objectCollected };
    }
  }

  private headUpdate(entry: AppendEntry, appendTime: number): TransactWriteItem {
    const expected = entry.expectedHighWatermark;
    return {
      Update: {
        TableName: this.tables.partitions,
        Key: marshall({ pk: partitionKey(entry.topicId, entry.partition) }),
        UpdateExpression:
          'SET highWatermark = :next, lastAppendTime = :t, topicId = :tid, #p = :p, logStartOffset = if_not_exists(logStartOffset, :zero) ADD #b :bytes',
        // A large transaction commit holding the head (txnLock) makes appends wait until it moved the head.
        ConditionExpression: `${expected === 0 ? '(attribute_not_exists(pk) OR highWatermark = :expected)' : 'highWatermark = :expected'} AND attribute_not_exists(txnLock)`,
        ExpressionAttributeNames: { '#p': 'partition', '#b': 'bytes' },
        ExpressionAttributeValues: marshall({
          ':next': expected + offsetCountOf(entry),
          ':expected': expected,
          ':t': appendTime,
          ':tid': entry.topicId,
          ':p': entry.partition,
          ':zero': 0,
          ':bytes': sizeOf(entry),
        }),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  private batchPut(entry: AppendEntry, run: IndexRun, commit: AppendCommit): TransactWriteItem {
    const indexEntry: BatchIndexEntry = {
      ...run.batch,
      baseOffset: run.baseOffset,
      lastOffset: run.baseOffset + run.offsetCount - 1,
      appendTime: commit.appendTime,
    };
    return {
      Put: {
        TableName: this.tables.batches,
        Item: marshall(entryToItem(entry.topicId, entry.partition, indexEntry)),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  private producerUpdate(entry: AppendEntry, producer: ProducerAdvance, appendTime: number): TransactWriteItem {
    const remembered = [
      ...(producer.expected !== undefined && producer.expected.producerEpoch === producer.producerEpoch ? producer.expected.batches : []),
      ...producer.batches.map((b) => ({ ...b, appendTime })),
    ].slice(-REMEMBERED_BATCHES);
    const lastSequence = producer.batches[producer.batches.length - 1]!.lastSequence;
    const key = producerStateKey(producer.producerId, entry.topicId, entry.partition);
    const values: Record<string, unknown> = {
      ':pid': producer.producerId,
      ':epoch': producer.producerEpoch,
      ':seq': lastSequence,
      ':batches': remembered,
      ':exp': Math.ceil((appendTime + PRODUCER_ID_EXPIRATION_MS) / 1000),
    };
    let condition = 'attribute_not_exists(pk)';
    if (producer.expected !== undefined) {
      condition = 'producerEpoch = :oldEpoch AND lastSequence = :oldSeq';
      values[':oldEpoch'] = producer.expected.producerEpoch;
      values[':oldSeq'] = producer.expected.lastSequence;
    }
    return {
      Update: {
        TableName: this.tables.producers,
        Key: marshall(key),
        UpdateExpression: 'SET producerId = :pid, producerEpoch = :epoch, lastSequence = :seq, batches = :batches, expiresAt = :exp',
        ConditionExpression: condition,
        ExpressionAttributeValues: marshall(values, marshallingOptions()),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }
}
