/** Transactions' limits and defaults, with Kafka's where Kafka has one. */

/** Kafka's transaction.timeout.ms default. */
export const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;
/** Kafka's transaction.max.timeout.ms default: a longer transaction.timeout.ms is InvalidTransactionTimeout. */
export const MAX_TRANSACTION_TIMEOUT_MS = 900_000;
/** Kafka's producer epochs are int16: at the last one a new producer id is taken. */
export const MAX_PRODUCER_EPOCH = 32_767;
/**
 * The final step of a commit is one DynamoDB transaction holding every
 * partition head, every committed offset, one check per consumer group, and
 * the meta: so a transaction may touch at most 99 of those together.
 */
export const MAX_COMMIT_FINAL_ITEMS = 100;
/** Staged items per staging transaction (plus the meta, the object registry and the open marker). */
export const MAX_STAGED_PER_WRITE = 97;
/** A prepared commit (or abort) untouched this long is finished by recovery. */
export const RECOVERY_GRACE_MS = 10_000;
/** Attempts at a commit step under contention (head moved, partition locked by another commit). */
export const MAX_COMMIT_ATTEMPTS = 40;
