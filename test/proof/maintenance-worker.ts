/**
 * The maintenance schedule in a workload: runs every maintenance step
 * (transaction recovery, segment compaction, retention, log compaction, the
 * collector, group expiry) now and then while the others work, through a
 * broker whose AWS calls and `maintenance.midStep` point fail at the run's
 * rates. Its work is judged through the log: rolled segments and collected
 * objects must not lose, move or duplicate a record.
 */
import { call, type Transport } from '../../lib/client/transport.js';
import type { MaintenanceReply } from '../../lib/protocol/maintenance-replies.js';
import { describe } from './producer-worker.js';
import { withDeadline } from './watchdog.js';
import type { WorkerBase } from './worker.js';

export interface MaintenanceWorkerOptions extends WorkerBase {
  readonly transport: Transport;
  /** Pause between runs: uniform in [minPauseMs, 2 × minPauseMs). */
  readonly minPauseMs: number;
}

export async function runMaintenance(o: MaintenanceWorkerOptions): Promise<void> {
  for (let n = 1; o.budget.take(); n++) {
    try {
      await withDeadline(once(o), o.stallMs, () => `maintenance run ${n}`, o.onStall).catch(() => undefined);
    } finally {
      o.budget.complete();
    }
    await new Promise((resolve) => setTimeout(resolve, o.minPauseMs * (1 + o.random())));
  }
}

async function once(o: MaintenanceWorkerOptions): Promise<void> {
  const invokedMs = o.history.nowMs();
  try {
    const reply = await call<MaintenanceReply>(o.transport, 'maintenance', { action: 'run' });
    const t = reply.transactions;
    const note = collectorNote(reply);
    o.history.add({
      kind: 'maintenance',
      ok: true,
      segmentsWritten: reply.totals.segmentsWritten,
      objectsDeleted: reply.totals.objectsDeleted,
      transactionsRecovered: t === undefined ? 0 : t.timedOut + t.rolledForward + t.rolledBack,
      ...(note !== undefined ? { error: note } : {}),
      invokedMs,
      completedMs: o.history.nowMs(),
    });
  } catch (err) {
    o.history.add({ kind: 'maintenance', ok: false, segmentsWritten: 0, objectsDeleted: 0, transactionsRecovered: 0, error: describe(err), invokedMs, completedMs: o.history.nowMs() });
  }
}

/** Why the collector did less than it could this run (skipped, or some objects left for the next run). */
function collectorNote(reply: MaintenanceReply): string | undefined {
  const c = reply.collector;
  if (c?.skipped !== undefined) return `collector ${c.skipped}`;
  if (c?.errors !== undefined && c.errors.length > 0) return `collector: ${c.errors.map((e) => `${e.code} ${e.message}`).join(', ')}`;
  return undefined;
}

