/**
 * Kafka answers per topic or partition; the broker validates a request as a
 * whole and names the culprit in its error's context. This runs the request,
 * and on an error that names one item, answers that item with it and runs
 * the rest again (bad input changes nothing, so nothing was written).
 */
import { KafkalessError, type ErrorContext } from '../errors.js';

export type Settled<R> = { readonly result: R; readonly error?: undefined } | { readonly error: KafkalessError };

export function asKafkalessError(err: unknown): KafkalessError {
  if (err instanceof KafkalessError) return err;
  return new KafkalessError('UnknownServerError', err instanceof Error ? err.message : String(err));
}

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
      const culprit = pending.length > 1 ? pending.findIndex((p) => isCulprit(p.item, error.context)) : -1;
      if (culprit < 0) {
        for (const p of pending) out[p.index] = { error };
        pending = [];
      } else {
        out[pending[culprit]!.index] = { error };
        pending.splice(culprit, 1);
      }
    }
  }
  return out;
}

export const sameTopic = (topic: string, context: ErrorContext): boolean => context.topic === topic;
export const samePartition = (item: { topic: string; partition: number }, context: ErrorContext): boolean =>
  context.topic === item.topic && context.partition === item.partition;
