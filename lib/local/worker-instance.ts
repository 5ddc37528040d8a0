/**
 * One warm execution environment: a worker thread with its own environment
 * variables, running one invocation at a time, terminated when an
 * invocation outlives the function's timeout.
 */
import { Worker } from 'node:worker_threads';
import type { ContextData, FromWorker, InvocationError, WorkerData } from './lambda-protocol.js';
import { lambdaWorkerUrl } from './worker-script.js';

/** Lambda's limit on a function's initialization phase. */
const INIT_TIMEOUT_MS = 10_000;

export type Outcome = { readonly ok: true; readonly payload: string } | { readonly ok: false; readonly error: InvocationError };

export interface WorkerInstanceOptions {
  readonly data: WorkerData;
  readonly env: Readonly<Record<string, string>>;
  readonly memorySizeMb: number;
}

export interface RunInput {
  readonly id: string;
  readonly event: string;
  readonly context: Omit<ContextData, 'deadlineMs'>;
  readonly timeoutSeconds: number;
}

interface Pending {
  readonly id: string;
  readonly resolve: (outcome: Outcome) => void;
  readonly timer: NodeJS.Timeout;
}

export class WorkerInstance {
  /** False once the worker failed, timed out or exited: it is never used again. */
  private usable = true;
  private readonly worker: Worker;
  private readonly ready: Promise<InvocationError | undefined>;
  private markReady: (error: InvocationError | undefined) => void = () => undefined;
  private pending: Pending | undefined;

  constructor(options: WorkerInstanceOptions) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.worker = new Worker(lambdaWorkerUrl(), {
      workerData: options.data,
      env: { ...options.env },
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: options.memorySizeMb },
    });
    this.worker.on('message', (message: FromWorker) => this.onMessage(message));
    this.worker.on('error', (error) => this.fail(errorOf(error)));
    this.worker.on('exit', (code) =>
      this.fail({ errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: exit status ${code}`, trace: [] }),
    );
  }

  get isUsable(): boolean {
    return this.usable;
  }

  async run(input: RunInput): Promise<Outcome> {
    const initError = await this.waitReady(input.context.awsRequestId);
    if (initError !== undefined) {
      this.usable = false;
      return { ok: false, error: initError };
    }
    if (!this.usable) return { ok: false, error: exitedBeforeInvoke() };
    const timeoutMs = input.timeoutSeconds * 1000;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.timeOut(input), timeoutMs);
      this.pending = { id: input.id, resolve, timer };
      const context: ContextData = { ...input.context, deadlineMs: Date.now() + timeoutMs };
      this.worker.postMessage({ type: 'invoke', id: input.id, event: input.event, context });
    });
  }

  async terminate(): Promise<void> {
    this.usable = false;
    await this.worker.terminate();
  }

  private async waitReady(requestId: string): Promise<InvocationError | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<InvocationError>((resolve) => {
      timer = setTimeout(() => {
        void this.terminate();
        resolve({
          errorType: 'Runtime.InitTimeout',
          errorMessage: `RequestId: ${requestId} Error: initialization did not finish within ${INIT_TIMEOUT_MS / 1000} seconds`,
          trace: [],
        });
      }, INIT_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.ready, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private timeOut(input: RunInput): void {
    this.usable = false;
    void this.worker.terminate();
    this.settle({
      ok: false,
      error: {
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${input.context.awsRequestId} Error: Task timed out after ${input.timeoutSeconds.toFixed(2)} seconds`,
        trace: [],
      },
    });
  }

  private onMessage(message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        this.markReady(undefined);
        return;
      case 'init-error':
        this.usable = false;
        this.markReady(message.error);
        void this.worker.terminate();
        return;
      case 'result':
        if (this.pending?.id === message.id) this.settle({ ok: true, payload: message.payload });
        return;
      case 'error':
        if (this.pending?.id === message.id) this.settle({ ok: false, error: message.error });
        return;
    }
  }

  /** The worker died: whatever waits on it gets `error`. */
  private fail(error: InvocationError): void {
    this.usable = false;
    this.markReady(error);
    this.settle({ ok: false, error });
  }

  private settle(outcome: Outcome): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.resolve(outcome);
  }
}

/** An uncaught exception or unhandled rejection that ended the worker. */
function errorOf(error: Error): InvocationError {
  const outOfMemory = (error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY';
  return {
    errorType: outOfMemory ? 'Runtime.OutOfMemory' : error.name === 'Error' ? 'Runtime.UnhandledError' : error.name,
    errorMessage: error.message,
    trace: (error.stack ?? '').split('\n'),
  };
}

function exitedBeforeInvoke(): InvocationError {
  return { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited before the invocation started', trace: [] };
}
