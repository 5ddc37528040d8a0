/**
 * What a transaction stages before it commits, as items under its
 * transactional id (pk `txn#<id>`, sk `staged#<txnSeq>#…`): one item per
 * produced batch (where its bytes lie in an ingest object, how many
 * offsets it takes, its producer fields) and one per consumer offset to
 * commit. Nothing here is visible to readers: only the commit turns staged
 * batches into batch index items and staged offsets into committed ones.
 */
import { createHash } from 'node:crypto';
import { itemToLocation, type BatchLocation } from './batch-index.js';
import { STAGED_PREFIX, txnPk } from './txn-meta.js';

export interface StagedBatch extends BatchLocation {
  readonly kind: 'batch';
  readonly txnSeq: number;
  readonly topic: string;
  readonly topicId: string;
  readonly partition: number;
  readonly baseSequence: number;
  readonly lastSequence: number;
  readonly offsetCount: number;
  readonly stagedAtMs: number;
}

export interface StagedOffset {
  readonly kind: 'offset';
  readonly txnSeq: number;
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly metadata: string;
  readonly memberId?: string;
  readonly memberEpoch?: number;
  readonly stagedAtMs: number;
}

export type StagedItem = StagedBatch | StagedOffset;

const SEQ_WIDTH = 12;
const pad = (n: number, width = SEQ_WIDTH): string => String(n).padStart(width, '0');

/** Every staged item of transaction `txnSeq` has a sort key starting with this. */
export function stagedPrefix(txnSeq: number): string {
  return `${STAGED_PREFIX}${pad(txnSeq)}#`;
}

/** Sort keys below this belong to transactions before `txnSeq`. */
export function stagedBefore(txnSeq: number): string {
  return `${STAGED_PREFIX}${pad(txnSeq)}`;
}

export function stagedBatchSk(b: Pick<StagedBatch, 'txnSeq' | 'topicId' | 'partition' | 'baseSequence'>): string {
  return `${stagedPrefix(b.txnSeq)}b#${b.topicId}#${b.partition}#${pad(b.baseSequence, 10)}`;
}

/** One item per (group, topic, partition): a later sendOffsets in the same transaction replaces it. */
export function stagedOffsetSk(o: Pick<StagedOffset, 'txnSeq' | 'groupId' | 'topic' | 'partition'>): string {
  const digest = createHash('sha256').update(`${o.groupId}\u0000${o.topic}\u0000${o.partition}`).digest('hex').slice(0, 40);
  return `${stagedPrefix(o.txnSeq)}o#${digest}`;
}

type Item = Record<string, unknown>;

export function stagedToItem(transactionalId: string, s: StagedItem): Item {
  const sk = s.kind === 'batch' ? stagedBatchSk(s) : stagedOffsetSk(s);
  const item: Item = { pk: txnPk(transactionalId), sk, ...s };
  for (const [k, v] of Object.entries(item)) if (v === undefined) delete item[k];
  return item;
}

export function itemToStaged(item: Item): StagedItem {
  const common = { txnSeq: Number(item.txnSeq), topic: String(item.topic), partition: Number(item.partition), stagedAtMs: Number(item.stagedAtMs) };
  if (item.kind === 'offset') {
    return {
      kind: 'offset',
      ...common,
      groupId: String(item.groupId),
      offset: Number(item.offset),
      metadata: String(item.metadata ?? ''),
      ...(typeof item.memberId === 'string' ? { memberId: item.memberId } : {}),
      ...(item.memberEpoch !== undefined ? { memberEpoch: Number(item.memberEpoch) } : {}),
    };
  }
  return {
    kind: 'batch',
    ...common,
    topicId: String(item.topicId),
    baseSequence: Number(item.baseSequence),
    lastSequence: Number(item.lastSequence),
    offsetCount: Number(item.offsetCount),
    ...itemToLocation(item),
  };
}
