/**
 * Kafka answers per topic or partition; the broker validates a request as a
 * whole and names the culprit in its error's context. This runs the request,
 * and on an error that names one item, answers that item with it and runs
 * the rest again (bad input changes nothing, so nothing was written); an
 * error that names no item has each item run alone.
 */
import { KafkalessError, type ErrorContext } from '../errors.js';

export type Settled<R> = { readonly result: R; readonly error?: undefined } | { readonly error: KafkalessError };

export function asKafkalessError(err: unknown): KafkalessError {
  if (err instanceof KafkalessError) return err;
  return new KafkalessError('UnknownServerError', err instanceof Error ? err.message : String(err));
}

/** Errors after which nothing may be run again: the request may have been partly written. */
const NOT_REPEATABLE = new Set(['KafkaStorageError', 'UnknownServerError', 'RequestTimedOut', 'NetworkException']);

export async function settleEach<I, R>(
  items: readonly I[],
  isCulprit: (item: I, context: ErrorContext) => boolean,
  run: (items: readonly I[]) => Promise<readonly R[]>,
): Promise<Settled<R>[]> {
  const out: Settled<R>[] = new Array<Settled<R>>(items.length);
  let pending = items.map((item, index) => ({ item, index }));
  while (pending.length > 0) {
    try {
      const results = await run(pending.map((p) => p.item));
      pending.forEach((p, k) => {
        const result = results[k];
        out[p.index] = result === undefined ? { error: new KafkalessError('UnknownServerError', 'The broker answered fewer items than asked') } : { result };
      });
      pending = [];
    } catch (err) {
      const error = asKafkalessError(err);
      if (pending.length === 1 || NOT_REPEATABLE.has(error.code)) {
        for (const p of pending) out[p.index] = { error };
        pending = [];
        continue;
      }
      const culprit = pending.findIndex((p) => isCulprit(p.item, error.context));
      if (culprit >= 0) {
        out[pending[culprit]!.index] = { error };
        pending.splice(culprit, 1);
        continue;
      }
      // The error names no item: each is run alone, so each gets its own answer.
      const alone = await Promise.all(pending.map((p) => settleEach([p.item], isCulprit, run)));
      pending.forEach((p, k) => (out[p.index] = alone[k]![0]!));
      pending = [];
    }
  }
  return out;
}

export const sameTopic = (topic: string, context: ErrorContext): boolean => context.topic === topic;
export const samePartition = (item: { topic: string; partition: number }, context: ErrorContext): boolean =>
  context.topic === item.topic && context.partition === item.partition;

/** settleEach over the items `refusal` lets through; a refused item is answered with its refusal, the broker never asked. */
export async function settleChecked<I, R>(
  items: readonly I[],
  refusal: (item: I) => KafkalessError | undefined,
  isCulprit: (item: I, context: ErrorContext) => boolean,
  run: (items: readonly I[]) => Promise<readonly R[]>,
): Promise<Settled<R>[]> {
  const refusals = items.map(refusal);
  const accepted = items.filter((_, k) => refusals[k] === undefined);
  const results = accepted.length > 0 ? await settleEach(accepted, isCulprit, run) : [];
  let next = 0;
  return items.map((_, k) => {
    const refused = refusals[k];
    return refused !== undefined ? { error: refused } : results[next++]!;
  });
}

/** The items in runs of at most `size` (a broker request's limit), in order. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
