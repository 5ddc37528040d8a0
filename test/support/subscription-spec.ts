/**
 * A subscription as the trigger reads it, for tests and benchmarks that drive
 * the delivery directly: what names it, and otherwise AWS's event source
 * mapping behaviour with every record retried until it succeeds (no
 * batching window, from the oldest record, no bisect, no item failures, one
 * partition at a time).
 */
import type { SubscriptionSpec } from '../../lib/names.js';

export type SpecFields = Pick<SubscriptionSpec, 'name' | 'functionName' | 'topics' | 'groupId'> & Partial<SubscriptionSpec>;

export function subscriptionSpecFor(fields: SpecFields): SubscriptionSpec {
  return {
    batchSize: 100,
    maximumBatchingWindowMs: 0,
    startingPosition: 'TRIM_HORIZON',
    maximumRetryAttempts: -1,
    maximumRecordAgeMs: -1,
    bisectBatchOnFunctionError: false,
    reportBatchItemFailures: false,
    parallelism: 1,
    functionTimeoutMs: 2000,
    ...fields,
  };
}
