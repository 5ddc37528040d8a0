/**
 * The DynamoDB writes a transaction is made of, one builder each, in the
 * Document client's shape: staging, the meta's state changes, and the
 * commit's head updates (single-step, lock, release), batch index puts and
 * consumer offset puts. lib/storage/txn-store.ts sends them.
 */
import type { TableRole } from '../names.js';
import { partitionKey } from '../names.js';
import { entryToItem, type BatchIndexEntry } from './batch-index.js';
import { memberSk, META_SK as GROUP_META_SK, topicOffsetsUpdate } from './group-items.js';
import { tpKey, type OffsetRecord, type TopicPartitionRef } from './group-records.js';
import type { TransactionRef } from '../protocol/txn-requests.js';
import { metaKey, metaToItem, openMarkerKey, type TxnMeta, type TxnState } from './txn-meta.js';
import { stagedToItem, type StagedItem } from './txn-staged.js';
import { OBJECT_NOT_DELETING } from './object-registry.js';

export type TxnTables = Readonly<Pick<Record<TableRole, string>, 'topics' | 'partitions' | 'batches' | 'objects' | 'producers' | 'groups'>>;

/** One element of a TransactWriteItems request (Document client shape). */
export type WriteItem = Record<string, unknown>;

export class TxnItems {
  constructor(private readonly tables: TxnTables) {}

  /** Staging: the transaction is (or becomes) ONGOING for this producer, epoch and number. */
  stagingMetaUpdate(ref: TransactionRef, nowMs: number): WriteItem {
    return {
      Update: {
        TableName: this.tables.producers,
        Key: metaKey(ref.transactionalId),
        UpdateExpression: 'SET #s = :ongoing, startedAtMs = if_not_exists(startedAtMs, :now), updatedAtMs = :now ADD version :one',
        ConditionExpression: 'producerId = :pid AND producerEpoch = :e AND txnSeq = :seq AND #s IN (:empty, :ongoing)',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: {
          ':ongoing': 'ONGOING',
          ':empty': 'EMPTY',
          ':now': nowMs,
          ':one': 1,
          ':pid': ref.producerId,
          ':e': ref.producerEpoch,
          ':seq': ref.txnSeq,
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  /** The meta written whole, if nobody wrote it since `expectedVersion` was read (undefined: it must not exist). */
  metaPut(meta: TxnMeta, expectedVersion: number | undefined): WriteItem {
    const condition =
      expectedVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } };
    return { Put: { TableName: this.tables.producers, Item: metaToItem(meta), ...condition, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } };
  }

  /** The transaction is still in this state with this number. */
  metaCheck(transactionalId: string, state: TxnState, txnSeq: number): WriteItem {
    return {
      ConditionCheck: {
        TableName: this.tables.producers,
        Key: metaKey(transactionalId),
        ConditionExpression: '#s = :state AND txnSeq = :seq',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':state': state, ':seq': txnSeq },
      },
    };
  }

  /** A staged item; batches are put once (a retried send finds its earlier copy), offsets replace earlier ones. */
  stagedPut(transactionalId: string, staged: StagedItem): WriteItem {
    const put = { TableName: this.tables.producers, Item: stagedToItem(transactionalId, staged) };
    if (staged.kind === 'offset') return { Put: put };
    return { Put: { ...put, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } };
  }

  /** The ingest object is referenced `refs` times (by staged items, later by index items). */
  objectPut(objectKey: string, refs: number, createdAtMs: number): WriteItem {
    return {
      Put: {
        TableName: this.tables.objects,
        Item: { key: objectKey, refs, createdAt: createdAtMs },
        // Refused once the collector marked the object (an orphan by then): nothing may point at an object being deleted.
        ConditionExpression: OBJECT_NOT_DELETING,
        ExpressionAttributeNames: { '#k': 'key', '#s': 'state' },
        ExpressionAttributeValues: { ':deleting': 'deleting' },
      },
    };
  }

  openMarkerPut(transactionalId: string, txnSeq: number, nowMs: number): WriteItem {
    return { Put: { TableName: this.tables.producers, Item: { ...openMarkerKey(transactionalId), transactionalId, txnSeq, openedAtMs: nowMs } } };
  }

  topicCheck(name: string, topicId: string): WriteItem {
    return {
      ConditionCheck: {
        TableName: this.tables.topics,
        Key: { name },
        ConditionExpression: 'topicId = :id',
        ExpressionAttributeValues: { ':id': topicId },
      },
    };
  }

  /** Single-step commit: the head moves from the expected high watermark, and is not locked by a large commit. */
  headAppend(topicId: string, partition: number, expectedHighWatermark: number, offsetCount: number, sizeBytes: number, appendTimeMs: number): WriteItem {
    const base = expectedHighWatermark === 0 ? '(attribute_not_exists(pk) OR highWatermark = :expected)' : 'highWatermark = :expected';
    return {
      Update: {
        TableName: this.tables.partitions,
        Key: { pk: partitionKey(topicId, partition) },
        UpdateExpression:
          'SET highWatermark = :next, lastAppendTime = :t, topicId = :tid, #p = :p, logStartOffset = if_not_exists(logStartOffset, :zero) ADD #b :bytes',
        ConditionExpression: `${base} AND attribute_not_exists(txnLock)`,
        ExpressionAttributeNames: { '#p': 'partition', '#b': 'bytes' },
        ExpressionAttributeValues: {
          ':next': expectedHighWatermark + offsetCount,
          ':expected': expectedHighWatermark,
          ':t': appendTimeMs,
          ':tid': topicId,
          ':p': partition,
          ':zero': 0,
          ':bytes': sizeBytes,
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  /** Large commit: the head is locked for this transaction; its offsets start at the high watermark it has now. */
  headLock(topicId: string, partition: number, lock: string, nowMs: number): WriteItem {
    return {
      Update: {
        TableName: this.tables.partitions,
        Key: { pk: partitionKey(topicId, partition) },
        UpdateExpression:
          'SET txnLock = :lock, txnLockedAtMs = if_not_exists(txnLockedAtMs, :now), highWatermark = if_not_exists(highWatermark, :zero), txnBase = if_not_exists(highWatermark, :zero), topicId = :tid, #p = :p, logStartOffset = if_not_exists(logStartOffset, :zero)',
        ConditionExpression: 'attribute_not_exists(txnLock) OR txnLock = :lock',
        ExpressionAttributeNames: { '#p': 'partition' },
        ExpressionAttributeValues: { ':lock': lock, ':now': nowMs, ':zero': 0, ':tid': topicId, ':p': partition },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  /** Large commit, final step: the locked head moves past the transaction's offsets and is unlocked. */
  headRelease(topicId: string, partition: number, lock: string, base: number, offsetCount: number, sizeBytes: number, appendTimeMs: number): WriteItem {
    return {
      Update: {
        TableName: this.tables.partitions,
        Key: { pk: partitionKey(topicId, partition) },
        UpdateExpression: 'SET highWatermark = :next, lastAppendTime = :t REMOVE txnLock, txnBase, txnLockedAtMs ADD #b :bytes',
        ConditionExpression: 'txnLock = :lock AND highWatermark = :base',
        ExpressionAttributeNames: { '#b': 'bytes' },
        ExpressionAttributeValues: { ':next': base + offsetCount, ':t': appendTimeMs, ':lock': lock, ':base': base, ':bytes': sizeBytes },
      },
    };
  }

  /** A batch index item; `fresh` puts it only where none is (single step), else it is written again identically (large commit). */
  indexPut(topicId: string, partition: number, entry: BatchIndexEntry, fresh: boolean): WriteItem {
    const put = { TableName: this.tables.batches, Item: entryToItem(topicId, partition, entry) };
    return { Put: fresh ? { ...put, ConditionExpression: 'attribute_not_exists(pk)' } : put };
  }

  /** Committed offsets of one topic, in the group's offsets item of that topic, none below the one committed there (offsets never go backward). */
  offsetsUpdate(groupId: string, topic: string, records: readonly OffsetRecord[]): WriteItem {
    return topicOffsetsUpdate(this.tables.groups, groupId, topic, records, (p) => `(attribute_not_exists(#p${p}) OR #p${p}.o <= :o${p})`);
  }

  /** The group still exists (and is not being deleted). */
  groupCheck(groupId: string): WriteItem {
    return {
      ConditionCheck: {
        TableName: this.tables.groups,
        Key: { pk: groupId, sk: GROUP_META_SK },
        ConditionExpression: 'attribute_exists(pk) AND #s <> :dead',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':dead': 'DEAD' },
      },
    };
  }

  /**
   * The consumer is still a member with this epoch, a live session, and every
   * partition committed (KIP-447), and has itself committed none of them
   * beyond the offset the transaction commits (a member's own commits wait in
   * its item).
   */
  memberCheck(groupId: string, memberId: string, memberEpoch: number, nowMs: number, partitions: readonly (TopicPartitionRef & { readonly offset: number })[]): WriteItem {
    const values: Record<string, unknown> = { ':e': memberEpoch, ':now': nowMs };
    const names: Record<string, string> = {};
    const owns = partitions.map((tp, i) => {
      values[`:tp${i}`] = tpKey(tp);
      values[`:o${i}`] = tp.offset;
      names[`#k${i}`] = tpKey(tp);
      return `contains(#owned, :tp${i}) AND (attribute_not_exists(#offs.#k${i}) OR #offs.#k${i}.o <= :o${i})`;
    });
    return {
      ConditionCheck: {
        TableName: this.tables.groups,
        Key: { pk: groupId, sk: memberSk(memberId) },
        ConditionExpression: ['(memberEpoch = :e OR previousMemberEpoch = :e)', 'sessionExpiresAtMs > :now', 'attribute_not_exists(leftStatic)', ...owns].join(' AND '),
        ...(owns.length > 0 ? { ExpressionAttributeNames: { ...names, '#owned': 'owned', '#offs': 'offsets' } } : {}),
        ExpressionAttributeValues: values,
      },
    };
  }
}
