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
  /** After a transactional produce or sendOffsets was staged, before the reply. */
  'txn.afterStage',
  /** After a large commit's prepared state (PREPARE_COMMIT) was written, before any partition is locked. */
  'txn.afterPrepare',
  /** Mid-way through a large commit: partitions locked and index items written above the high watermark, heads not yet moved. */
  'txn.midCommit',
  /** After a transaction's commit, before the reply (and before staged items are cleaned up). */
  'txn.afterCommit',
  /** After an abort froze the transaction (PREPARE_ABORT), before its staged items are released. */
  'txn.midAbort',
  /** Between reading group state and its conditional write. */
  'group.beforeWrite',
  /** Mid-way through a maintenance step. */
  'maintenance.midStep',
  /** After a sink connector wrote its objects, before its answer lets the offsets be committed. */
  'connect.afterUpload',
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

/** A small, fast, seeded PRNG (mulberry32): uniform in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Faults injected so far, by kind (e.g. `produce.afterUpload`, `dynamodb ThrottlingException before`). */
export class FaultCounts {
  private readonly counts = new Map<string, number>();

  add(kind: string, n = 1): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + n);
  }

  get(kind: string): number {
    return this.counts.get(kind) ?? 0;
  }

  total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }

  /** Kinds and counts, sorted by kind. */
  entries(): [string, number][] {
    return [...this.counts].sort(([a], [b]) => a.localeCompare(b));
  }
}

export interface RandomFaultOptions {
  /** Chance, in [0, 1], that a fault is thrown at each point; points not named never fail. */
  readonly rates: Readonly<Partial<Record<FaultPoint, number>>>;
  /** Uniform in [0, 1); seed it (seededRandom) so a run replays. */
  readonly random: () => number;
  readonly counts?: FaultCounts;
  /** Checked on every call: faults are thrown only while it returns true. */
  readonly enabled?: () => boolean;
}

/** A FaultInjector that throws InjectedFault at the chosen points at the chosen rates. */
export function randomFaultInjector(options: RandomFaultOptions): FaultInjector {
  return {
    async at(point) {
      const rate = options.rates[point] ?? 0;
      if (rate <= 0 || (options.enabled !== undefined && !options.enabled())) return;
      if (options.random() >= rate) return;
      options.counts?.add(point);
      throw new InjectedFault(point);
    },
  };
}
