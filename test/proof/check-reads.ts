/**
 * Checks of reads: every read is a prefix-consistent view of the final log
 * (a record seen at an offset is that offset's record for good: no dirty
 * read, nothing later removed or replaced), reads have no gaps, and a read
 * invoked after a write was acknowledged (or after another read completed)
 * sees a high watermark at least as new.
 */
import type { Anomaly } from './anomaly.js';
import type { FinalState } from './final-state.js';
import type { HistoryEvent, ReadEvent } from './history.js';
import { produceEvents } from './check-log.js';

function readEvents(history: readonly HistoryEvent[]): ReadEvent[] {
  return history.filter((e): e is ReadEvent => e.kind === 'read');
}

export function checkReadsConsistent(history: readonly HistoryEvent[], final: FinalState): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const logs = new Map(final.partitions.map((p) => [p.partition, new Map(p.records.map((r) => [r.offset, r.value]))]));
  const starts = new Map(final.partitions.map((p) => [p.partition, p.logStartOffset]));
  for (const read of readEvents(history)) {
    const log = logs.get(read.partition) ?? new Map<number, string | null>();
    let expected = read.fromOffset;
    for (const r of read.records) {
      if (r.offset !== expected) {
        anomalies.push({ kind: 'read-gap', partition: read.partition, offset: expected, message: `${read.reader} read from ${read.fromOffset} and got ${r.offset} where ${expected} was due` });
      }
      expected = r.offset + 1;
      if (r.offset < (starts.get(read.partition) ?? 0)) continue;
      if (!log.has(r.offset)) {
        anomalies.push({ kind: 'read-mismatch', partition: read.partition, offset: r.offset, message: `${read.reader} read ${String(r.value)} at ${r.offset}, which the final log does not hold` });
      } else if (log.get(r.offset) !== r.value) {
        anomalies.push({ kind: 'read-mismatch', partition: read.partition, offset: r.offset, message: `${read.reader} read ${String(r.value)} at ${r.offset}; the log holds ${String(log.get(r.offset))}` });
      }
    }
    if (read.highWatermark !== undefined && read.records.length > 0 && expected > read.highWatermark) {
      anomalies.push({ kind: 'read-mismatch', partition: read.partition, offset: expected - 1, message: `${read.reader} read offset ${expected - 1} past the high watermark ${read.highWatermark} it was given` });
    }
  }
  return anomalies;
}

/** Per partition, points in time at which the high watermark was known to be at least some value. */
interface Floor {
  readonly atMs: number;
  readonly atLeast: number;
  readonly why: string;
}

function floors(history: readonly HistoryEvent[]): Map<number, Floor[]> {
  const out = new Map<number, Floor[]>();
  const add = (partition: number, floor: Floor) => out.set(partition, [...(out.get(partition) ?? []), floor]);
  for (const p of produceEvents(history)) {
    if (p.outcome.status !== 'ok' || p.outcome.offsets.length === 0) continue;
    add(p.partition, { atMs: p.completedMs, atLeast: Math.max(...p.outcome.offsets) + 1, why: `${p.producer}'s ack of ${p.values[p.values.length - 1]}` });
  }
  for (const r of readEvents(history)) {
    if (r.highWatermark !== undefined) add(r.partition, { atMs: r.completedMs, atLeast: r.highWatermark, why: `${r.reader}'s read` });
  }
  for (const list of out.values()) list.sort((a, b) => a.atMs - b.atMs);
  return out;
}

export function checkNoStaleReads(history: readonly HistoryEvent[]): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const byPartition = floors(history);
  const reads = readEvents(history).filter((r) => r.highWatermark !== undefined).sort((a, b) => a.invokedMs - b.invokedMs);
  const cursor = new Map<number, { i: number; best: Floor | undefined }>();
  for (const read of reads) {
    const list = byPartition.get(read.partition) ?? [];
    const state = cursor.get(read.partition) ?? { i: 0, best: undefined };
    while (state.i < list.length && list[state.i]!.atMs < read.invokedMs) {
      const f = list[state.i]!;
      if (state.best === undefined || f.atLeast > state.best.atLeast) state.best = f;
      state.i++;
    }
    cursor.set(read.partition, state);
    if (state.best !== undefined && read.highWatermark! < state.best.atLeast) {
      anomalies.push({
        kind: 'stale-read',
        partition: read.partition,
        message: `${read.reader}'s read saw high watermark ${read.highWatermark}, but ${state.best.why} had completed before with ${state.best.atLeast}`,
      });
    }
  }
  return anomalies;
}
