/**
 * A transactional id's coordinator record, one item in the producers table
 * (pk `txn#<transactionalId>`, sk `meta`): the producer id and epoch that
 * own it, the state of its current transaction, and that transaction's
 * number (`txnSeq`, one more per transaction). `version` is bumped by every
 * write, staging included, and every state change is conditional on it, so
 * a change computed from a stale read never lands.
 */
import type { CommittedBatchRange } from '../protocol/txn-replies.js';

export type TxnState = 'EMPTY' | 'ONGOING' | 'PREPARE_COMMIT' | 'PREPARE_ABORT';
export type TxnOutcome = 'COMMITTED' | 'ABORTED';
/** Why a transaction was aborted: its producer asked, it outlived transaction.timeout.ms, or a new instance took over. */
export type AbortReason = 'client' | 'timeout' | 'fenced';

export interface TxnMeta {
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly state: TxnState;
  /** The current (or next) transaction's number. */
  readonly txnSeq: number;
  readonly timeoutMs: number;
  /** When the current transaction staged its first item (ONGOING and later). */
  readonly startedAtMs?: number;
  /** When the commit was prepared (PREPARE_COMMIT): the append time of its batches. */
  readonly preparedAtMs?: number;
  /** Why the abort under way was asked (PREPARE_ABORT). */
  readonly abortReason?: AbortReason;
  /** The last finished transaction: its number, outcome, and why it was aborted. */
  readonly lastSeq?: number;
  readonly lastOutcome?: TxnOutcome;
  readonly lastAbortReason?: AbortReason;
  /** Where the last committed transaction's records went, so a retried commit (its reply lost) gets the same answer. */
  readonly lastRanges?: readonly CommittedBatchRange[];
  readonly updatedAtMs: number;
  readonly version: number;
}

export const TXN_PK_PREFIX = 'txn#';
export const META_SK = 'meta';
export const STAGED_PREFIX = 'staged#';

export function txnPk(transactionalId: string): string {
  return `${TXN_PK_PREFIX}${transactionalId}`;
}

export function metaKey(transactionalId: string): { pk: string; sk: string } {
  return { pk: txnPk(transactionalId), sk: META_SK };
}

/** The partition-head lock a large commit holds: whose transaction, which one. */
export function lockName(transactionalId: string, txnSeq: number): string {
  return `${transactionalId}#${txnSeq}`;
}

type Item = Record<string, unknown>;

export function metaToItem(meta: TxnMeta): Item {
  const item: Item = { ...metaKey(meta.transactionalId), ...meta };
  for (const [k, v] of Object.entries(item)) if (v === undefined) delete item[k];
  return item;
}

const optionalNumber = (v: unknown): number | undefined => (v === undefined || v === null ? undefined : Number(v));

export function itemToMeta(item: Item): TxnMeta {
  const meta: TxnMeta = {
    transactionalId: String(item.transactionalId),
    producerId: Number(item.producerId),
    producerEpoch: Number(item.producerEpoch),
    state: String(item.state ?? 'EMPTY') as TxnState,
    txnSeq: Number(item.txnSeq ?? 0),
    timeoutMs: Number(item.timeoutMs),
    startedAtMs: optionalNumber(item.startedAtMs),
    preparedAtMs: optionalNumber(item.preparedAtMs),
    abortReason: item.abortReason as AbortReason | undefined,
    lastSeq: optionalNumber(item.lastSeq),
    lastOutcome: item.lastOutcome as TxnOutcome | undefined,
    lastAbortReason: item.lastAbortReason as AbortReason | undefined,
    lastRanges: Array.isArray(item.lastRanges) ? (item.lastRanges as Item[]).map(toRange) : undefined,
    updatedAtMs: Number(item.updatedAtMs ?? 0),
    version: Number(item.version ?? 0),
  };
  return Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined)) as unknown as TxnMeta;
}

function toRange(item: Item): CommittedBatchRange {
  return { topic: String(item.topic), partition: Number(item.partition), baseOffset: Number(item.baseOffset), lastOffset: Number(item.lastOffset) };
}

/**
 * The meta after the current transaction finished: the next one may start.
 * A commit keeps where its records went (`committed`), an abort its reason.
 */
export function finished(meta: TxnMeta, outcome: TxnOutcome, nowMs: number, reason?: AbortReason, committed?: readonly CommittedBatchRange[]): TxnMeta {
  const { startedAtMs: _s, preparedAtMs: _p, abortReason: _a, lastAbortReason: _l, lastRanges: _r, ...rest } = meta;
  return {
    ...rest,
    state: 'EMPTY',
    txnSeq: meta.txnSeq + 1,
    lastSeq: meta.txnSeq,
    lastOutcome: outcome,
    ...(reason !== undefined ? { lastAbortReason: reason } : {}),
    ...(committed !== undefined && committed.length > 0 ? { lastRanges: committed.map((r) => ({ ...r })) } : {}),
    updatedAtMs: nowMs,
    version: meta.version + 1,
  };
}

/** Shards of the open-transaction markers (spread over DynamoDB partitions). */
export const OPEN_MARKER_SHARDS = 8;

/** The marker saying a transactional id may have a transaction open: recovery looks only at these. */
export function openMarkerKey(transactionalId: string): { pk: string; sk: string } {
  let hash = 0;
  for (let i = 0; i < transactionalId.length; i++) hash = (hash * 31 + transactionalId.charCodeAt(i)) >>> 0;
  return { pk: `txn-open#${hash % OPEN_MARKER_SHARDS}`, sk: transactionalId };
}
