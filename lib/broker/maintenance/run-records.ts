/**
 * What a maintenance run records of itself when it ends: per step it took,
 * one MaintenanceRunRecord (lib/storage/maintenance-runs.ts) with the
 * step's counters, summed over the partitions it worked on, and its first
 * errors. Per-partition steps are measured as the difference of the
 * partition's tally before and after the step, so retention's and log
 * compaction's reclaimed bytes are told apart.
 */
import type { ErrorPayload } from '../../errors.js';
import type { CollectorReport, PartitionMaintenance } from '../../protocol/maintenance-replies.js';
import type { MaintenanceRunRequest, MaintenanceStep } from '../../protocol/maintenance-requests.js';
import type { MaintenanceRunRecord } from '../../storage/maintenance-runs.js';
import type { RecoverySummary } from '../transactions/recover.js';
import type { ExpirySummary } from '../groups/expire-members.js';
import type { MaintenanceDeps } from './deps.js';

/** Errors kept per step record. */
const RECORDED_ERRORS = 5;

/** The counters of a partition report each per-partition step moves. */
const STEP_FIELDS = {
  segments: ['segmentsWritten', 'batchesRolled', 'conflicts'],
  retention: ['offsetsExpired', 'bytesReclaimed', 'indexItemsRemoved'],
  compaction: ['recordsCompacted', 'bytesReclaimed', 'indexItemsRemoved', 'conflicts'],
} as const satisfies Partial<Record<MaintenanceStep, readonly (keyof PartitionMaintenance)[]>>;

export type PartitionStep = keyof typeof STEP_FIELDS;

interface StepTotals {
  outcome: Record<string, number>;
  errors: ErrorPayload[];
}

/** Counters per step of one run, filled in as partitions finish their steps. */
export class RunRecorder {
  private readonly steps = new Map<MaintenanceStep, StepTotals>();

  private totals(step: MaintenanceStep): StepTotals {
    let totals = this.steps.get(step);
    if (totals === undefined) {
      totals = { outcome: {}, errors: [] };
      this.steps.set(step, totals);
    }
    return totals;
  }

  private add(step: MaintenanceStep, name: string, n: number): void {
    const outcome = this.totals(step).outcome;
    outcome[name] = (outcome[name] ?? 0) + n;
  }

  private error(step: MaintenanceStep, error: ErrorPayload): void {
    const errors = this.totals(step).errors;
    if (errors.length < RECORDED_ERRORS) errors.push(error);
  }

  /** A partition step ended: what it moved (after − before), or how it failed. */
  partitionStep(step: PartitionStep, before: PartitionMaintenance, after: PartitionMaintenance, error?: ErrorPayload): void {
    this.add(step, 'partitions', 1);
    for (const field of STEP_FIELDS[step]) this.add(step, field, (after[field] ?? 0) - (before[field] ?? 0));
    if (error !== undefined) {
      this.add(step, 'failed', 1);
      this.error(step, error);
    }
  }

  /** A partition another worker held: none of the asked steps ran on it. */
  partitionSkipped(steps: readonly PartitionStep[]): void {
    for (const step of steps) {
      this.totals(step);
      this.add(step, 'skipped', 1);
    }
  }

  collector(report: CollectorReport): void {
    const { objectsDeleted, orphansDeleted, topicsRemoved, indexItemsRemoved } = report;
    for (const [name, n] of Object.entries({ objectsDeleted, orphansDeleted, topicsRemoved, indexItemsRemoved })) this.add('gc', name, n);
    this.add('gc', 'skipped', report.skipped !== undefined ? 1 : 0);
    for (const error of report.errors ?? []) this.error('gc', error);
  }

  transactions(summary: RecoverySummary | undefined): void {
    if (summary === undefined) {
      this.error('transactions', { code: 'UnknownServerError', message: 'transaction recovery failed (see the function log)', retriable: true });
      return;
    }
    const { examined, timedOut, rolledForward, rolledBack } = summary;
    for (const [name, n] of Object.entries({ examined, timedOut, rolledForward, rolledBack, failed: summary.failures.length })) this.add('transactions', name, n);
    for (const failure of summary.failures) this.error('transactions', { code: 'UnknownServerError', message: `${failure.transactionalId}: ${failure.error}`, retriable: true });
  }

  groups(summary: ExpirySummary | undefined): void {
    if (summary === undefined) {
      this.error('groups', { code: 'UnknownServerError', message: 'member expiry failed (see the function log)', retriable: true });
      return;
    }
    this.add('groups', 'groups', summary.groups);
    this.add('groups', 'changed', summary.changed);
  }

  /** One record per step taken. */
  records(runId: string, startedAt: number, finishedAt: number, request: MaintenanceRunRequest): MaintenanceRunRecord[] {
    const scope = { ...(request.topic !== undefined ? { topic: request.topic } : {}), ...(request.partitions !== undefined ? { partitions: request.partitions } : {}) };
    return [...this.steps].map(([step, { outcome, errors }]) => ({ step, runId, startedAt, finishedAt, scope, outcome, errors }));
  }
}

/** Writes the run's records; a failure is logged, never the run's failure (the records are for people, not for correctness). */
export async function saveRunRecords(deps: MaintenanceDeps, records: readonly MaintenanceRunRecord[]): Promise<void> {
  try {
    await Promise.all(records.map((record) => deps.runs.put(record)));
  } catch (err) {
    deps.log('warn', 'maintenance run records not written', { error: err instanceof Error ? err.message : String(err) });
  }
}
