/**
 * DynamoDB's failures, translated at the storage edge: a failed condition
 * becomes a domain outcome; throttling and conflicts become retriable
 * infrastructure errors. No SDK exception leaks past lib/storage.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { InfrastructureError } from '../errors.js';

export interface CancellationReason {
  readonly Code?: string;
  readonly Item?: Record<string, unknown>;
  readonly Message?: string;
}

const RETRIABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'TransactionInProgressException',
  'InternalServerError',
  'ServiceUnavailable',
  'LimitExceededException',
]);

export function errorName(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const e = err as { name?: unknown; Code?: unknown; code?: unknown };
    if (typeof e.name === 'string') return e.name;
    if (typeof e.Code === 'string') return e.Code;
  }
  return 'Error';
}

export function isConditionalCheckFailed(err: unknown): boolean {
  return errorName(err) === 'ConditionalCheckFailedException';
}

/** The per-item reasons of a cancelled transaction, or undefined for any other error. */
export function cancellationReasons(err: unknown): readonly CancellationReason[] | undefined {
  if (errorName(err) !== 'TransactionCanceledException') return undefined;
  const reasons = (err as { CancellationReasons?: unknown }).CancellationReasons;
  return Array.isArray(reasons) ? (reasons as CancellationReason[]) : [];
}

/** An item of a cancelled transaction whose condition failed: where it was in the transaction, and the item as it was when it was returned (ReturnValuesOnConditionCheckFailure). */
export interface FailedCondition {
  readonly index: number;
  readonly old: Record<string, unknown> | undefined;
}

/** The items whose condition failed, in transaction order; undefined unless the error is a transaction cancelled for a failed condition. */
export function failedConditions(err: unknown): readonly FailedCondition[] | undefined {
  const failed = (cancellationReasons(err) ?? []).flatMap((r, index) =>
    r.Code === 'ConditionalCheckFailed' ? [{ index, old: r.Item !== undefined ? unmarshall(r.Item as Parameters<typeof unmarshall>[0]) : undefined }] : [],
  );
  return failed.length > 0 ? failed : undefined;
}

/** True when a cancelled transaction failed only for other writers' reasons (conflicts, throttling). */
export function isTransientCancellation(reasons: readonly CancellationReason[]): boolean {
  return (
    reasons.length > 0 &&
    reasons.some((r) => r.Code !== undefined && r.Code !== 'None') &&
    reasons.every((r) => r.Code === undefined || r.Code === 'None' || RETRIABLE.has(r.Code) || r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded')
  );
}

/** Socket errors and timeouts (no reply, or none in time): the call may be retried. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

function isNetworkOrServerError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return e.name === 'TimeoutError' || (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) || (status !== undefined && status >= 500);
}

/** Any DynamoDB error that is not a domain outcome, as an infrastructure error. */
export function toInfrastructureError(err: unknown, operation: string): InfrastructureError {
  const name = errorName(err);
  const reasons = cancellationReasons(err);
  const retriable = RETRIABLE.has(name) || isNetworkOrServerError(err) || (reasons !== undefined && isTransientCancellation(reasons));
  const message = err instanceof Error ? err.message : String(err);
  return new InfrastructureError(`DynamoDB ${operation} failed (${name}): ${message}`, { retriable, cause: err });
}
