/** What every worker of a workload is given: the shared budget and history, its own random stream, and the stall watch. */
import type { History } from './history.js';
import type { OpBudget } from './op-budget.js';

export interface WorkerBase {
  /** Each operation takes one ticket; the worker stops when none are left. */
  readonly budget: OpBudget;
  /** This worker's own seeded stream. */
  readonly random: () => number;
  readonly history: History;
  /** An operation not settled after this long is a stall. */
  readonly stallMs: number;
  readonly onStall: (description: string) => void;
}
