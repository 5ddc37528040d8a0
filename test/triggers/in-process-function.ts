/**
 * A subscribed function run in this process, answered as Lambda's Invoke
 * answers (the JSON result, or `Unhandled` with Lambda's error document):
 * for tests that must hold an invocation or fail it at a chosen point,
 * which a function in a worker process cannot be made to do on cue.
 */
import type { InvocationResult, TriggerDeps } from '../../lib/triggers/index.js';

export type InProcessHandler = (event: unknown) => Promise<unknown>;

export function inProcessInvoker(handler: InProcessHandler): TriggerDeps['invoke'] {
  return async (_functionName, payload): Promise<InvocationResult> => {
    try {
      return { payload: JSON.stringify((await handler(JSON.parse(payload))) ?? null) };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      return { functionError: 'Unhandled', payload: JSON.stringify({ errorType: error.name, errorMessage: error.message }) };
    }
  };
}
