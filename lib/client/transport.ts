/**
 * How a client reaches the broker: by invoking the Lambda functions, or
 * embedded in-process. Both carry the same JSON requests and replies.
 */
import { errorFromPayload } from '../errors.js';
import type { FunctionRole } from '../names.js';
import { isReply } from '../protocol/reply.js';
import { KafkalessError } from '../errors.js';

export interface InvokeOptions {
  /** Fire and forget (Lambda's Event invocation): resolves once accepted. */
  readonly async?: boolean;
}

export interface Transport {
  /** Sends one request to the function of `role`; resolves to its raw reply (undefined for async). */
  invoke(role: FunctionRole, request: object, options?: InvokeOptions): Promise<unknown>;
  close(): Promise<void>;
}

/** Unwraps a function's reply: its result, or its typed error thrown. */
export function unwrapReply<T>(reply: unknown, role: FunctionRole): T {
  if (!isReply(reply)) {
    throw new KafkalessError('UnknownServerError', `The ${role} function answered with something that is not a kafkaless reply`);
  }
  if (!reply.ok) throw errorFromPayload(reply.error);
  return reply.result as T;
}

export async function call<T>(transport: Transport, role: FunctionRole, request: object): Promise<T> {
  return unwrapReply<T>(await transport.invoke(role, request), role);
}
