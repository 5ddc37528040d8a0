/**
 * Extension point for transactions (invariant 5): all-or-nothing
 * visibility of a transaction's records and offset commits. Transactions do
 * not exist yet; when they do, the workload records TransactionEvents and
 * the checks go here (a committed transaction's records all in the log, an
 * aborted one's never read by read_committed consumers, none in part).
 */
import type { Anomaly } from './anomaly.js';
import type { FinalState } from './final-state.js';
import type { HistoryEvent } from './history.js';

export function checkTransactions(history: readonly HistoryEvent[], final: FinalState): Anomaly[] {
  void history;
  void final;
  return [];
}
