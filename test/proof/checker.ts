/** The history checker: every check, run over one history and the final state it led to. */
import type { Anomaly } from './anomaly.js';
import { checkAcknowledged, checkContiguous, checkOncePerValueAndOrder } from './check-log.js';
import { checkNoStaleReads, checkReadsConsistent } from './check-reads.js';
import { checkCommitsMonotonic, checkOneOwner } from './check-groups.js';
import { checkTransactions } from './check-transactions.js';
import type { FinalState } from './final-state.js';
import type { HistoryEvent } from './history.js';

export type Check = (history: readonly HistoryEvent[], final: FinalState) => Anomaly[];

export const CHECKS: Readonly<Record<string, Check>> = {
  acknowledgedWritesKept: checkAcknowledged,
  contiguousOffsets: (_history, final) => checkContiguous(final),
  oncePerRecordInOrder: checkOncePerValueAndOrder,
  readsPrefixConsistent: checkReadsConsistent,
  noStaleReads: (history) => checkNoStaleReads(history),
  commitsMonotonic: (history) => checkCommitsMonotonic(history),
  oneOwner: (history) => checkOneOwner(history),
  transactions: checkTransactions,
};

export function checkHistory(history: readonly HistoryEvent[], final: FinalState, checks: Readonly<Record<string, Check>> = CHECKS): Anomaly[] {
  return Object.values(checks).flatMap((check) => check(history, final));
}
