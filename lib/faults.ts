/**
 * Fault injection points, compiled in and off unless a test turns them on.
 * Production code calls `faults.at(point)` at each step where a crash or a
 * lost reply matters; the default injector does nothing.
 */

export const FAULT_POINTS = [
  /** After the ingest object is in S3, before the commit: the writer dies. */
  'produce.afterUpload',
  /** After the commit, before the reply: the client sees a timeout. */
  'produce.afterCommit',
  /** Between reading group state and its conditional write. */
  'group.beforeWrite',
  /** Mid-way through a maintenance step. */
  'maintenance.midStep',
] as const;

export type FaultPoint = (typeof FAULT_POINTS)[number];

export interface FaultInjector {
  /** Throws (or delays) when a fault is due at this point. */
  at(point: FaultPoint, detail?: Record<string, unknown>): Promise<void>;
}

export const NO_FAULTS: FaultInjector = Object.freeze({ at: async () => undefined });

/** The error an injected crash throws; a test can tell it from real failures. */
export class InjectedFault extends Error {
  readonly retriable = true;
  constructor(readonly point: FaultPoint) {
    super(`Injected fault at ${point}`);
    this.name = 'InjectedFault';
  }
}
