/**
 * The one retry helper: exponential backoff with full jitter, a bound on
 * attempts, an abort signal, and injected sleep and randomness so tests
 * replay. Nobody writes a retry loop by hand elsewhere.
 */
import { KafkalessError } from './errors.js';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts?: number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly signal?: AbortSignal;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Whether an error is worth another attempt. Default: its `retriable` flag. */
  readonly isRetriable?: (err: unknown, attempt: number) => boolean;
  /** Called before each wait, e.g. to log or count. */
  readonly onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function isRetriableError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { retriable?: unknown }).retriable === true;
}

/** Full-jitter backoff: a random wait in [0, min(max, initial * 2^attempt)). */
export function backoffDelayMs(attempt: number, initialDelayMs: number, maxDelayMs: number, random: () => number): number {
  const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

export async function retry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 8;
  const initialDelayMs = options.initialDelayMs ?? 20;
  const maxDelayMs = options.maxDelayMs ?? 2_000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  const isRetriable = options.isRetriable ?? isRetriableError;
  let lastError: unknown;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    try {
      return await operation(attempt);
    } catch (err) {
      lastError = err;
      if (!isRetriable(err, attempt) || attempt === maxAttempts - 1) throw err;
      const delayMs = backoffDelayMs(attempt, initialDelayMs, maxDelayMs, random);
      options.onRetry?.(err, attempt, delayMs);
      await sleep(delayMs);
    }
  }
  throw new KafkalessError('RequestTimedOut', `Retries exceeded after ${maxAttempts} attempts`, { cause: lastError });
}
