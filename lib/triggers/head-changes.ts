/**
 * Reads a DynamoDB Streams event on the partitions table into the partition
 * heads that moved: the only data that wakes a subscription. Leases and
 * other items of the table, removals, and changes that did not raise the
 * high watermark are ignored, but for a wake (the head's `wakes` counter
 * moved, lib/storage/head-wake.ts): that is a head change with no new
 * record, which starts a subscription on what the partition already holds.
 * Pure.
 */
import { HEAD_WAKES_ATTRIBUTE } from '../storage/head-wake.js';

export interface HeadChange {
  readonly topicId: string;
  readonly partition: number;
  /** The lowest high watermark before these changes (undefined for the first append). */
  readonly previousHighWatermark: number | undefined;
  readonly highWatermark: number;
  /** The stream sequence number of the first change: what to report when its delivery could not finish. */
  readonly sequenceNumber: string;
}

interface StreamAttribute {
  readonly S?: string;
  readonly N?: string;
}

interface StreamRecord {
  readonly eventName?: string;
  readonly dynamodb?: {
    readonly Keys?: Readonly<Record<string, StreamAttribute>>;
    readonly NewImage?: Readonly<Record<string, StreamAttribute>>;
    readonly OldImage?: Readonly<Record<string, StreamAttribute>>;
    readonly SequenceNumber?: string;
  };
}

const HEAD_KEY = /^([0-9a-fA-F-]{36})#(\d+)$/;

export function headChanges(event: unknown): HeadChange[] {
  const records = (event as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) return [];
  const byKey = new Map<string, HeadChange>();
  for (const record of records as StreamRecord[]) {
    if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') continue;
    const pk = record.dynamodb?.Keys?.pk?.S;
    const match = pk === undefined ? null : HEAD_KEY.exec(pk);
    const newHw = numberOf(record.dynamodb?.NewImage?.highWatermark);
    const sequenceNumber = record.dynamodb?.SequenceNumber;
    if (match === null || newHw === undefined || sequenceNumber === undefined) continue;
    const oldHw = numberOf(record.dynamodb?.OldImage?.highWatermark);
    const woken = numberOf(record.dynamodb?.NewImage?.[HEAD_WAKES_ATTRIBUTE]) !== numberOf(record.dynamodb?.OldImage?.[HEAD_WAKES_ATTRIBUTE]);
    if (oldHw !== undefined && newHw <= oldHw && !woken) continue;
    const seen = byKey.get(pk!);
    if (seen === undefined) {
      byKey.set(pk!, { topicId: match[1]!, partition: Number(match[2]), previousHighWatermark: oldHw ?? (record.eventName === 'INSERT' ? 0 : undefined), highWatermark: newHw, sequenceNumber });
    } else {
      byKey.set(pk!, { ...seen, highWatermark: Math.max(seen.highWatermark, newHw) });
    }
  }
  return [...byKey.values()];
}

function numberOf(attribute: StreamAttribute | undefined): number | undefined {
  if (attribute?.N === undefined) return undefined;
  const n = Number(attribute.N);
  return Number.isFinite(n) ? n : undefined;
}
