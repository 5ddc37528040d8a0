/** What the checker reports: a broken invariant, named by kind, with where and why. */
export const ANOMALY_KINDS = [
  /** An acknowledged record is missing from its acknowledged offset. */
  'lost-write',
  /** Two acknowledgements for one offset, with different records. */
  'conflicting-acks',
  /** An idempotent producer's record stored at two offsets. */
  'duplicate',
  /** A record nobody sent. */
  'phantom',
  /** Offsets with no record between the log start and the high watermark, or index items that leave a hole. */
  'offset-gap',
  /** Index items that cover an offset twice. */
  'offset-overlap',
  /** A producer's records in one partition out of send order. */
  'producer-order',
  /** A read returned a record that differs from the one at that offset in the log (or one that vanished). */
  'read-mismatch',
  /** A read skipped offsets. */
  'read-gap',
  /** A read invoked after an acknowledgement (or after another read) saw an older high watermark. */
  'stale-read',
  /** A group's committed offset went backward without a reset or an explicit commit after a seek. */
  'commit-regressed',
  /** Two members owned one partition at once. */
  'two-owners',
  /** A transaction's records became visible in part, or an aborted one became visible. */
  'transaction',
  /** An operation that never settled (liveness). */
  'stalled',
] as const;

export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export interface Anomaly {
  readonly kind: AnomalyKind;
  readonly message: string;
  readonly partition?: number;
  readonly offset?: number;
}

/** Counts by kind, every kind present (zeros included). */
export function countAnomalies(anomalies: readonly Anomaly[]): Record<AnomalyKind, number> {
  const counts = Object.fromEntries(ANOMALY_KINDS.map((k) => [k, 0])) as Record<AnomalyKind, number>;
  for (const a of anomalies) counts[a.kind]++;
  return counts;
}
