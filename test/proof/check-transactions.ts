/**
 * Checks of transactions (invariant 5) against the final transactions topic
 * and the offsets the transactions committed for their groups:
 * - a committed transaction's records are all in the log, once each, inside
 *   the ranges its commit reported; an aborted one's never are, and no
 *   read ever returned them; one in doubt is all or nothing;
 * - records and offsets go together: the offset a group ends at belongs to
 *   a committed (or in-doubt) transaction, no lower than the last committed
 *   one's, and an in-doubt transaction's records are present exactly when
 *   its offset made it (when it is the group's final offset: present; above
 *   it: absent);
 * - every read_committed read returned records that are, at the end, the
 *   records at those offsets, from consecutive offsets;
 * - the topic's offsets are contiguous with no index gap or overlap.
 */
import type { Anomaly } from './anomaly.js';
import { checkContiguous } from './check-log.js';
import type { FinalPartition, FinalState } from './final-state.js';
import type { HistoryEvent, TransactionEvent, TxnReadEvent } from './history.js';

export function checkTransactions(history: readonly HistoryEvent[], final: FinalState): Anomaly[] {
  const txns = history.filter((e): e is TransactionEvent => e.kind === 'transaction');
  const reads = history.filter((e): e is TxnReadEvent => e.kind === 'txn-read');
  const t = final.transactional;
  if (t === undefined) return [];
  const where = locate(t.partitions);
  const owner = new Map<string, TransactionEvent>();
  for (const txn of txns) for (const v of txn.values) owner.set(v.value, txn);
  return [
    ...checkContiguous({ partitions: t.partitions }).map((a) => ({ ...a, message: `transactions topic: ${a.message}` })),
    ...checkNothingUnsent(t.partitions, owner),
    ...txns.flatMap((txn) => checkVisibility(txn, where)),
    ...checkGroupOffsets(txns, t.committed, where),
    ...reads.flatMap((r) => checkTxnRead(r, t.partitions, owner)),
  ];
}

/** Offsets at which each value is stored, by partition and value. */
type Locations = Map<string, number[]>;

function locate(partitions: readonly FinalPartition[]): Locations {
  const where: Locations = new Map();
  for (const p of partitions) {
    for (const r of p.records) {
      const key = `${p.partition}:${r.value}`;
      where.set(key, [...(where.get(key) ?? []), r.offset]);
    }
  }
  return where;
}

function checkNothingUnsent(partitions: readonly FinalPartition[], owner: ReadonlyMap<string, TransactionEvent>): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const p of partitions) {
    for (const r of p.records) {
      const txn = r.value === null ? undefined : owner.get(r.value);
      if (txn === undefined || !txn.values.some((v) => v.value === r.value && v.partition === p.partition)) {
        anomalies.push({ kind: 'phantom', partition: p.partition, offset: r.offset, message: `transactions topic partition ${p.partition} offset ${r.offset} holds ${r.value}, which no transaction sent there` });
      }
    }
  }
  return anomalies;
}

/** How many of the transaction's records are in the log. */
function present(txn: TransactionEvent, where: Locations): number {
  return txn.values.filter((v) => (where.get(`${v.partition}:${v.value}`) ?? []).length > 0).length;
}

function checkVisibility(txn: TransactionEvent, where: Locations): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const name = `${txn.transactionalId}'s transaction ${txn.offset}`;
  for (const v of txn.values) {
    const offsets = where.get(`${v.partition}:${v.value}`) ?? [];
    if (offsets.length > 1) anomalies.push({ kind: 'duplicate', partition: v.partition, message: `${v.value} of ${name} is stored at offsets ${offsets.join(', ')}` });
    if (txn.outcome !== 'committed' || offsets.length === 0) continue;
    const inRange = txn.ranges.some((r) => r.partition === v.partition && offsets[0]! >= r.baseOffset && offsets[0]! <= r.lastOffset);
    if (!inRange) anomalies.push({ kind: 'transaction', partition: v.partition, offset: offsets[0], message: `${v.value} of ${name} is at ${offsets[0]}, outside the ranges its commit reported` });
  }
  const count = present(txn, where);
  const all = txn.values.length;
  if (txn.outcome === 'committed' && count < all) {
    anomalies.push({ kind: count === 0 ? 'lost-write' : 'transaction', message: `${name} was committed but ${all - count} of its ${all} records are missing` });
  }
  if (txn.outcome === 'aborted' && count > 0) {
    anomalies.push({ kind: 'transaction', message: `${name} never committed (${txn.error ?? 'aborted'}) but ${count} of its ${all} records are visible` });
  }
  if (txn.outcome === 'unknown' && count > 0 && count < all) {
    anomalies.push({ kind: 'transaction', message: `${name} (outcome unknown: ${txn.error ?? ''}) is visible in part: ${count} of ${all} records` });
  }
  return anomalies;
}

function checkGroupOffsets(txns: readonly TransactionEvent[], committed: Readonly<Record<string, number | null>>, where: Locations): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const [group, finalOffset] of Object.entries(committed)) {
    const mine = txns.filter((x) => x.group === group);
    const at = finalOffset ?? 0;
    const lastCommitted = Math.max(0, ...mine.filter((x) => x.outcome === 'committed').map((x) => x.offset));
    if (at < lastCommitted) anomalies.push({ kind: 'transaction', message: `group ${group} ends at offset ${at}, below ${lastCommitted}, which a committed transaction wrote` });
    const owner = mine.find((x) => x.offset === at);
    if (owner?.outcome === 'aborted') anomalies.push({ kind: 'transaction', message: `group ${group} ends at offset ${at}, written by a transaction that never committed (${owner.error ?? 'aborted'})` });
    if (at > 0 && owner === undefined) anomalies.push({ kind: 'transaction', message: `group ${group} ends at offset ${at}, which no transaction sent` });
    for (const txn of mine) {
      if (txn.outcome !== 'unknown') continue;
      const count = present(txn, where);
      if (txn.offset === at && count < txn.values.length) {
        anomalies.push({ kind: 'transaction', message: `group ${group}'s offset ${at} committed with ${txn.transactionalId}'s transaction but ${txn.values.length - count} of its records are missing` });
      }
      if (txn.offset > at && count > 0) {
        anomalies.push({ kind: 'transaction', message: `${txn.transactionalId}'s transaction ${txn.offset} is visible but its offset never reached group ${group} (at ${at})` });
      }
    }
  }
  return anomalies;
}

function checkTxnRead(read: TxnReadEvent, partitions: readonly FinalPartition[], owner: ReadonlyMap<string, TransactionEvent>): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const part = partitions.find((p) => p.partition === read.partition);
  read.records.forEach((r, i) => {
    const previous = read.records[i - 1];
    if (previous !== undefined && r.offset !== previous.offset + 1) {
      anomalies.push({ kind: 'read-gap', partition: read.partition, offset: r.offset, message: `a read of the transactions topic jumped from ${previous.offset} to ${r.offset}` });
    }
    const txn = r.value === null ? undefined : owner.get(r.value);
    if (txn?.outcome === 'aborted') {
      anomalies.push({ kind: 'transaction', partition: read.partition, offset: r.offset, message: `a read_committed read returned ${r.value} of an aborted transaction` });
    }
    const stored = part?.records.find((x) => x.offset === r.offset)?.value;
    if (part !== undefined && r.offset >= part.logStartOffset && stored !== r.value) {
      anomalies.push({ kind: 'read-mismatch', partition: read.partition, offset: r.offset, message: `a read of the transactions topic returned ${r.value} at ${r.offset}, which holds ${stored ?? 'nothing'} at the end` });
    }
  });
  return anomalies;
}
