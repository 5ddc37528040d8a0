/**
 * Checks of the final log against the produce history: acknowledged records
 * are where they were acknowledged (invariant 2), offsets are contiguous and
 * the index has no gap or overlap (invariant 3), idempotent producers
 * appended each record once (invariant 4), nothing appeared that nobody
 * sent (invariant 1), and each producer's records keep its send order.
 */
import type { Anomaly } from './anomaly.js';
import type { FinalPartition, FinalState } from './final-state.js';
import type { HistoryEvent, ProduceEvent } from './history.js';

interface Sent {
  readonly producer: string;
  readonly idempotent: boolean;
  readonly partition: number;
  /** Position in the producer's send order. */
  readonly rank: number;
}

function sentValues(produces: readonly ProduceEvent[]): Map<string, Sent> {
  const sent = new Map<string, Sent>();
  for (const p of produces) {
    p.values.forEach((value, i) => sent.set(value, { producer: p.producer, idempotent: p.idempotent, partition: p.partition, rank: p.sendIndex * 1_000_000 + i }));
  }
  return sent;
}

export function produceEvents(history: readonly HistoryEvent[]): ProduceEvent[] {
  return history.filter((e): e is ProduceEvent => e.kind === 'produce');
}

export function checkAcknowledged(history: readonly HistoryEvent[], final: FinalState): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const acked = new Map<string, string>();
  for (const p of produceEvents(history)) {
    if (p.outcome.status !== 'ok') continue;
    const part = final.partitions.find((f) => f.partition === p.partition);
    p.values.forEach((value, i) => {
      const offset = (p.outcome as { offsets: readonly number[] }).offsets[i]!;
      // -1: acknowledged without an offset (a resend the broker found appended long before): it must be there somewhere.
      if (offset < 0) {
        if (part !== undefined && part.logStartOffset === 0 && !part.records.some((r) => r.value === value)) {
          anomalies.push({ kind: 'lost-write', partition: p.partition, message: `${value} was acknowledged (offset unknown) but is not in the log` });
        }
        return;
      }
      const key = `${p.partition}:${offset}`;
      const earlier = acked.get(key);
      if (earlier !== undefined && earlier !== value) {
        anomalies.push({ kind: 'conflicting-acks', partition: p.partition, offset, message: `offset ${offset} acknowledged for both ${earlier} and ${value}` });
      }
      acked.set(key, value);
      if (part === undefined || offset < part.logStartOffset) return;
      const stored = recordAt(part, offset);
      if (stored === undefined) anomalies.push({ kind: 'lost-write', partition: p.partition, offset, message: `${value} was acknowledged at ${offset}, which holds nothing` });
      else if (stored !== value) anomalies.push({ kind: 'lost-write', partition: p.partition, offset, message: `${value} was acknowledged at ${offset}, which holds ${stored}` });
    });
  }
  return anomalies;
}

function recordAt(part: FinalPartition, offset: number): string | null | undefined {
  const i = offset - part.logStartOffset;
  const r = part.records[i];
  if (r !== undefined && r.offset === offset) return r.value;
  return part.records.find((x) => x.offset === offset)?.value;
}

export function checkContiguous(final: FinalState): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const part of final.partitions) {
    const p = part.partition;
    let expected = part.logStartOffset;
    for (const r of part.records) {
      if (r.offset > expected) anomalies.push({ kind: 'offset-gap', partition: p, offset: expected, message: `offsets ${expected}..${r.offset - 1} hold no record` });
      if (r.offset < expected) anomalies.push({ kind: 'offset-overlap', partition: p, offset: r.offset, message: `offset ${r.offset} read twice or out of order` });
      expected = Math.max(expected, r.offset + 1);
    }
    if (expected !== part.highWatermark) {
      anomalies.push({ kind: 'offset-gap', partition: p, offset: expected, message: `records end at ${expected}, the high watermark is ${part.highWatermark}` });
    }
    anomalies.push(...checkIndex(part));
  }
  return anomalies;
}

function checkIndex(part: FinalPartition): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const p = part.partition;
  if (part.highWatermark === part.logStartOffset) return anomalies;
  const first = part.index[0];
  if (first === undefined || first.baseOffset > part.logStartOffset) {
    anomalies.push({ kind: 'offset-gap', partition: p, offset: part.logStartOffset, message: `no index item covers the log start ${part.logStartOffset}` });
  }
  for (let i = 1; i < part.index.length; i++) {
    const prev = part.index[i - 1]!;
    const next = part.index[i]!;
    if (next.baseOffset > prev.lastOffset + 1) anomalies.push({ kind: 'offset-gap', partition: p, offset: prev.lastOffset + 1, message: `index items leave ${prev.lastOffset + 1}..${next.baseOffset - 1} uncovered` });
    if (next.baseOffset <= prev.lastOffset) anomalies.push({ kind: 'offset-overlap', partition: p, offset: next.baseOffset, message: `index items [${prev.baseOffset},${prev.lastOffset}] and [${next.baseOffset},${next.lastOffset}] overlap` });
  }
  const last = part.index[part.index.length - 1];
  if (last !== undefined && last.lastOffset !== part.highWatermark - 1) {
    const kind = last.lastOffset >= part.highWatermark ? 'offset-overlap' : 'offset-gap';
    anomalies.push({ kind, partition: p, offset: last.lastOffset, message: `the last index item ends at ${last.lastOffset}, the high watermark is ${part.highWatermark}` });
  }
  return anomalies;
}

/** Each idempotent record once; nothing unsent; each producer's records in send order (first copies, for others). */
export function checkOncePerValueAndOrder(history: readonly HistoryEvent[], final: FinalState): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const sent = sentValues(produceEvents(history));
  const seen = new Map<string, number>();
  for (const part of final.partitions) {
    const lastRank = new Map<string, { rank: number; offset: number; value: string }>();
    for (const r of part.records) {
      const info = r.value === null ? undefined : sent.get(r.value);
      if (r.value === null || info === undefined || info.partition !== part.partition) {
        anomalies.push({ kind: 'phantom', partition: part.partition, offset: r.offset, message: `offset ${r.offset} holds ${String(r.value)}, which was never sent to this partition` });
        continue;
      }
      const earlier = seen.get(r.value);
      seen.set(r.value, r.offset);
      if (earlier !== undefined) {
        if (info.idempotent) anomalies.push({ kind: 'duplicate', partition: part.partition, offset: r.offset, message: `${r.value} is stored at ${earlier} and at ${r.offset}` });
        continue;
      }
      const prev = lastRank.get(info.producer);
      if (prev !== undefined && info.rank < prev.rank) {
        anomalies.push({ kind: 'producer-order', partition: part.partition, offset: r.offset, message: `${r.value} (offset ${r.offset}) was sent before ${prev.value} (offset ${prev.offset})` });
      }
      lastRank.set(info.producer, { rank: info.rank, offset: r.offset, value: r.value });
    }
  }
  return anomalies;
}
