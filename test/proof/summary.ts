/** The proof's summary table and its one-line verdict. */
import { ANOMALY_KINDS, countAnomalies, type Anomaly } from './anomaly.js';
import type { WorkloadResult } from './workload.js';

function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v.padStart(10)}`).join('\n');
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

export function summarize(r: WorkloadResult): string {
  const seconds = r.durationMs / 1000;
  const lines: string[] = [];
  lines.push(`seed ${r.seed}`);
  lines.push('operations');
  lines.push(
    table([
      ['produce sends acknowledged', String(r.acknowledged)],
      ['produce sends with unknown outcome', String(r.unknownOutcome)],
      ['reads', String(r.readOps)],
      ['  partition reads recorded', String(r.readObservations)],
      ['consumer group calls', String(r.groupOps)],
      ['transactional operations', String(r.txnOps)],
      ...transactionRows(r),
      ...maintenanceRows(r),
      ['total', String(r.ops)],
      ['seconds', seconds.toFixed(1)],
      ['operations per second', (r.ops / seconds).toFixed(0)],
    ]),
  );
  const unknown = new Map<string, number>();
  for (const e of r.history.events) if (e.kind === 'produce' && e.outcome.status === 'unknown') unknown.set(e.outcome.error, (unknown.get(e.outcome.error) ?? 0) + 1);
  if (unknown.size > 0) {
    lines.push('produce sends that failed, by error (their records may or may not be in the log)');
    lines.push(table([...unknown].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, String(v)] as const)));
  }
  lines.push('fault rates');
  lines.push(table([...Object.entries(r.rates.points).map(([k, v]) => [k, pct(v)] as const), ['each AWS call', pct(r.rates.awsCall)], ['AWS calls in the storm', pct(0.5)]]));
  lines.push('faults injected');
  lines.push(table([...r.faults.entries().map(([k, v]) => [k, String(v)] as const), ['total', String(r.faults.total())]]));
  lines.push('anomalies');
  const counts = countAnomalies(r.anomalies);
  lines.push(table([...ANOMALY_KINDS.map((k) => [k, String(counts[k])] as const), ['total', String(r.anomalies.length)]]));
  return lines.join('\n');
}

function transactionRows(r: WorkloadResult): [string, string][] {
  const by = (outcome: string) => String(r.history.events.filter((e) => e.kind === 'transaction' && e.outcome === outcome).length);
  return [
    ['  transactions committed', by('committed')],
    ['  transactions aborted (or never committed)', by('aborted')],
    ['  transactions with unknown outcome', by('unknown')],
    ['  read_committed reads', String(r.history.count('txn-read'))],
  ];
}

function maintenanceRows(r: WorkloadResult): [string, string][] {
  const runs = r.history.events.flatMap((e) => (e.kind === 'maintenance' ? [e] : []));
  const sum = (f: (e: (typeof runs)[number]) => number) => String(runs.reduce((n, e) => n + f(e), 0));
  return [
    ['maintenance runs', String(runs.length)],
    ['  failed', String(runs.filter((e) => !e.ok).length)],
    ['  segments written', sum((e) => e.segmentsWritten)],
    ['  objects deleted', sum((e) => e.objectsDeleted)],
    ['  transactions recovered', sum((e) => e.transactionsRecovered)],
  ];
}

export function verdict(r: WorkloadResult): string {
  return `proof: ${r.ops} operations, ${r.faults.total()} faults injected, ${r.anomalies.length} anomalies`;
}

/** The first few anomalies, for a failing run's report. */
export function describeAnomalies(anomalies: readonly Anomaly[], limit = 20): string {
  const shown = anomalies.slice(0, limit).map((a) => `  ${a.kind}: ${a.message}`);
  if (anomalies.length > limit) shown.push(`  … and ${anomalies.length - limit} more`);
  return shown.join('\n');
}

export function replayCommand(ops: number, seed: number, stormMs?: number): string {
  return `npm run proof -- --ops ${ops} --seed ${seed}${stormMs !== undefined ? ` --storm-ms ${stormMs}` : ''}`;
}
