/**
 * The execution environments of one local function: warm workers reused one
 * invocation at a time, more started on demand up to a limit, and a bounded
 * queue for invocations that find every worker busy.
 */
import { resolveHandler } from './handler-path.js';
import type { ContextData } from './lambda-protocol.js';
import { WorkerInstance, type Outcome } from './worker-instance.js';

export interface LocalFunction {
  readonly name: string;
  /** The bundle folder. */
  readonly codeDir: string;
  /** `file.export`, e.g. `index.handler`. */
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
  readonly environment: Readonly<Record<string, string>>;
}

export interface FunctionPoolOptions {
  readonly fn: LocalFunction;
  /** The complete environment of each worker. */
  readonly env: Readonly<Record<string, string>>;
  readonly maxWorkers: number;
  readonly maxQueued: number;
}

export interface InvokeInput {
  readonly requestId: string;
  readonly event: string;
  readonly context: Omit<ContextData, 'deadlineMs'>;
}

/** Thrown when every worker is busy and the queue is full. */
export class TooManyInvocationsError extends Error {
  constructor(functionName: string) {
    super(`Rate Exceeded: every execution environment of ${functionName} is busy and its queue is full.`);
    this.name = 'TooManyInvocationsError';
  }
}

interface Waiter {
  readonly resolve: (worker: WorkerInstance) => void;
  readonly reject: (error: Error) => void;
}

export class FunctionPool {
  private readonly idle: WorkerInstance[] = [];
  private readonly all = new Set<WorkerInstance>();
  private readonly waiters: Waiter[] = [];
  private closed = false;

  constructor(private readonly options: FunctionPoolOptions) {
    // Fails at start, not at the first invocation, when the bundle is missing.
    resolveHandler(options.fn.codeDir, options.fn.handler);
  }

  async invoke(input: InvokeInput): Promise<Outcome> {
    const worker = await this.acquire();
    try {
      return await worker.run({
        id: input.requestId,
        event: input.event,
        context: input.context,
        timeoutSeconds: this.options.fn.timeoutSeconds,
      });
    } finally {
      this.release(worker);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error(`${this.options.fn.name} is shutting down`));
    const workers = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private async acquire(): Promise<WorkerInstance> {
    if (this.closed) throw new Error(`${this.options.fn.name} is shutting down`);
    const idle = this.idle.pop();
    if (idle !== undefined) return idle;
    if (this.all.size < this.options.maxWorkers) return this.spawn();
    if (this.waiters.length >= this.options.maxQueued) throw new TooManyInvocationsError(this.options.fn.name);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Hands the worker to the next waiter, or parks it; a dead worker is replaced. */
  private release(worker: WorkerInstance): void {
    if (!worker.isUsable) {
      this.all.delete(worker);
      void worker.terminate();
      if (this.closed) return;
      const waiter = this.waiters.shift();
      if (waiter !== undefined) waiter.resolve(this.spawn());
      return;
    }
    if (this.closed || !this.all.has(worker)) {
      void worker.terminate();
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter.resolve(worker);
    else this.idle.push(worker);
  }

  private spawn(): WorkerInstance {
    const { fn } = this.options;
    const { file, exportPath } = resolveHandler(fn.codeDir, fn.handler);
    const worker = new WorkerInstance({
      data: { file, exportPath, handler: fn.handler },
      env: this.options.env,
      memorySizeMb: fn.memorySizeMb,
    });
    this.all.add(worker);
    return worker;
  }
}
