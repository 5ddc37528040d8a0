/**
 * Fault injection points, compiled in and off unless a test turns them on.
 * Production code calls `faults.at(point)` at each step where a crash or a
 * lost reply matters; the default injector does nothing.
 */
import { InfrastructureError } from './errors.js';

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

/**
 * The error an injected crash throws: an infrastructure failure, as the
 * client would see a function that died (retriable); a test can tell it from
 * real failures by its name.
 */
export class InjectedFault extends InfrastructureError {
  constructor(readonly point: FaultPoint) {
    super(`Injected fault at ${point}`, { retriable: true });
    this.name = 'InjectedFault';
  }
}
