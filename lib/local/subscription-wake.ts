/**
 * What the stack's subscriptions custom resource does on a deploy, done by
 * the local stack when it starts serving: the trigger is invoked once with a
 * wake event, and wakes every subscribed partition (lib/triggers/wake-subscriptions.ts);
 * the local stream mapping then delivers what they already hold.
 */
import type { InvocationResult } from '../triggers/invocation-outcome.js';
import { WAKE_EVENT } from '../triggers/wake-subscriptions.js';

export async function wakeSubscriptions(invoke: (functionName: string, payload: string) => Promise<InvocationResult>, triggerName: string): Promise<void> {
  const result = await invoke(triggerName, JSON.stringify(WAKE_EVENT));
  if (result.functionError !== undefined) throw new Error(`the trigger failed (${result.functionError}): ${result.payload.slice(0, 500)}`);
}
