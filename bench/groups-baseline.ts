/**
 * The consumer-group figures docs/BENCHMARKS.md recorded for the design in
 * which every heartbeat was a whole-group read and a TransactWriteItems of the
 * meta item (which held every member's target) and the member item, and every
 * committed partition an item of its own: printed beside a run's figures.
 */
import { printTable } from './table.js';

interface BaselineRow {
  readonly members: number;
  readonly sessionMs: number;
  /** STABLE s after a join, a leave, a death ('timeout': never formed). */
  readonly settle: readonly [string, string, string];
  readonly fencedSteady: number;
  readonly requestsPerBeat: number;
  readonly wruPerBeat: number;
  readonly wruPerCommit: number;
  readonly commitWruPerMinuteGroup: number;
  readonly usdPerMemberMonth: number;
  readonly usdPerMemberMonthAt5s: number;
}

/** From the run recorded in docs/BENCHMARKS.md (load average 5 to 11); per beat and per commit derived from its per-minute figures. */
const BASELINE: readonly BaselineRow[] = [
  { members: 3, sessionMs: 3000, settle: ['1.24', '0.85', '3.15'], fencedSteady: 0, requestsPerBeat: 3.21, wruPerBeat: 6.7, wruPerCommit: 42.0, commitWruPerMinuteGroup: 1512, usdPerMemberMonth: 26.31, usdPerMemberMonthAt5s: 17.45 },
  { members: 10, sessionMs: 3000, settle: ['2.28', '1.26', '3.52'], fencedSteady: 0, requestsPerBeat: 3.5, wruPerBeat: 7.5, wruPerCommit: 14.0, commitWruPerMinuteGroup: 1680, usdPerMemberMonth: 17.62, usdPerMemberMonthAt5s: 7.74 },
  { members: 30, sessionMs: 3000, settle: ['timeout', 'timeout', 'timeout'], fencedSteady: 40, requestsPerBeat: 8.97, wruPerBeat: 32.2, wruPerCommit: 5.3, commitWruPerMinuteGroup: 1752, usdPerMemberMonth: 41.17, usdPerMemberMonthAt5s: 13.67 },
  { members: 30, sessionMs: 9000, settle: ['3.22', '3.72', '11.57'], fencedSteady: 0, requestsPerBeat: 4.91, wruPerBeat: 15.5, wruPerCommit: 6.0, commitWruPerMinuteGroup: 1509, usdPerMemberMonth: 10.99, usdPerMemberMonthAt5s: 7.21 },
];

export function printBaseline(): void {
  printTable(
    'For comparison: the figures recorded for the previous design (every heartbeat a whole-group step; one offset item per partition)',
    ['members', 'session ms', 'STABLE s join/leave/death', 'fenced (steady)', 'DDB req/beat', 'WRU/beat', 'WRU/commit', 'commit WRU/min, whole group', '$/member-month', '$/member-month at 5 s beats'],
    BASELINE.map((b) => [
      `${b.members}`,
      `${b.sessionMs}`,
      b.settle.join(' / '),
      `${b.fencedSteady}`,
      b.requestsPerBeat.toFixed(2),
      b.wruPerBeat.toFixed(1),
      b.wruPerCommit.toFixed(1),
      `${b.commitWruPerMinuteGroup}`,
      `$${b.usdPerMemberMonth.toFixed(2)}`,
      `$${b.usdPerMemberMonthAt5s.toFixed(2)}`,
    ]),
    ['Recorded in docs/BENCHMARKS.md before the change; the 30-member group at 1 s beats never settled (sessions ran out under contention on the meta item).'],
  );
}
