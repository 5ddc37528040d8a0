/** Transactions' limits and defaults, with Kafka's where Kafka has one (size and count limits are in lib/limits.ts). */

/** Kafka's transaction.timeout.ms default. */
export const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;
/** Kafka's transaction.max.timeout.ms default: a longer transaction.timeout.ms is InvalidTransactionTimeout. */
export const MAX_TRANSACTION_TIMEOUT_MS = 900_000;
/** Kafka's producer epochs are int16: at the last one a new producer id is taken. */
export const MAX_PRODUCER_EPOCH = 32_767;
/** A prepared commit (or abort) untouched this long is finished by recovery. */
export const RECOVERY_GRACE_MS = 10_000;
/** Attempts at a commit step under contention (head moved, partition locked by another commit). */
export const MAX_COMMIT_ATTEMPTS = 40;
