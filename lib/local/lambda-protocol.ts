/**
 * Messages between the local Lambda server and the worker threads that run
 * a function's bundle. Types only, so the worker script needs nothing but
 * Node's built-ins at run time.
 */

/** What a worker is started with. */
export interface WorkerData {
  /** Absolute path of the handler's module file. */
  readonly file: string;
  /** The export to call, e.g. ['handler'] for `index.handler`. */
  readonly exportPath: readonly string[];
  /** As Lambda's Handler property, for error messages. */
  readonly handler: string;
}

/** The parts of Lambda's context object that are data. */
export interface ContextData {
  readonly awsRequestId: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** Epoch milliseconds at which the invocation times out. */
  readonly deadlineMs: number;
  readonly clientContext?: unknown;
}

/** An error as Lambda reports it in an invocation's response body. */
export interface InvocationError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: readonly string[];
}

export type ToWorker = { readonly type: 'invoke'; readonly id: string; readonly event: string; readonly context: ContextData };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly error: InvocationError }
  | { readonly type: 'result'; readonly id: string; readonly payload: string }
  | { readonly type: 'error'; readonly id: string; readonly error: InvocationError };
