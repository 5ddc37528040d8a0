/** Invokes a user's function synchronously through Lambda's Invoke API (the client injected). */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { InvocationResult } from './invocation-outcome.js';

export function lambdaInvoker(client: LambdaClient): (functionName: string, payload: string) => Promise<InvocationResult> {
  return async (functionName, payload) => {
    const out = await client.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: Buffer.from(payload) }));
    const text = out.Payload === undefined ? '' : Buffer.from(out.Payload).toString('utf8');
    return out.FunctionError !== undefined ? { functionError: out.FunctionError, payload: text } : { payload: text };
  };
}
