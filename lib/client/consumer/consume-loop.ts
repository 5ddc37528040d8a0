/**
 * The one consume loop, shared by the plain consumer, the group consumer
 * and the exactly-once pipeline. Each round is the caller's (poll and
 * deliver, or poll-transform-commit); the loop owns the error policy:
 *
 * - a retriable error, or an error thrown by the user's callback (the
 *   round has already rewound to the record that failed), is retried after
 *   a jittered backoff (retry.backoff.ms doubling up to retry.backoff.max.ms)
 *   and reported as `consumer.retry`;
 * - any other error is fatal: the loop stops, `consumer.crash` is emitted
 *   (and written to stderr when nobody listens for it), and whoever awaits
 *   the start (run()) sees it rejected.
 *
 * Nothing the loop does can become an unhandled rejection: its own promise
 * never rejects, and the start promise it hands out is marked handled.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { backoffDelayMs, isRetriableError } from '../../retry.js';
import type { ConsumerInstrumentation } from './consumer-events.js';

/** An error thrown by the user's eachMessage/eachBatch/transform: retried from the record that failed. */
export class CallbackError extends Error {
  constructor(readonly error: unknown) {
    super(error instanceof Error ? error.message : String(error), { cause: error });
    this.name = 'CallbackError';
  }
}

export interface ConsumeLoopOptions {
  readonly instrumentation: ConsumerInstrumentation;
  readonly groupId?: string;
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
  /** Errors, besides those flagged retriable, the loop may retry (e.g. a group's fencing: the member rejoins). */
  readonly isRecoverable?: (err: unknown) => boolean;
  readonly onError?: (err: unknown) => void;
  /** Called once after a crash, e.g. to leave the group; its failure is ignored. */
  readonly onCrash?: (err: unknown) => Promise<void> | void;
  readonly random?: () => number;
}

export interface LoopWork {
  /** Done once before the first round (e.g. joining the group); run() resolves after its first attempt. */
  readonly prepare?: () => Promise<void>;
  readonly round: () => Promise<void>;
}

const insideLoop = new AsyncLocalStorage<ConsumeLoop>();

export class ConsumeLoop {
  private active = false;
  private done: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;

  constructor(private readonly options: ConsumeLoopOptions) {}

  get running(): boolean {
    return this.active;
  }

  /** Starts the rounds; resolves once `prepare` succeeded or failed retriably, rejects (handled) if it failed fatally. */
  start(work: LoopWork): Promise<void> {
    let started!: () => void;
    let failed!: (err: unknown) => void;
    const start = new Promise<void>((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    start.catch(() => undefined);
    this.active = true;
    this.done = insideLoop.run(this, () => this.body(work, started, failed));
    return start;
  }

  /**
   * Ends the loop after the current callback returns, and waits for that;
   * never rejects. Called from inside a callback, it does not wait (the
   * callback's own return ends the round).
   */
  async stop(): Promise<void> {
    this.active = false;
    this.wake?.();
    if (insideLoop.getStore() === this) return;
    await this.done;
  }

  private async body(work: LoopWork, started: () => void, failed: (err: unknown) => void): Promise<void> {
    let attempt = 0;
    let prepared = work.prepare === undefined;
    if (prepared) started();
    while (this.active) {
      try {
        if (!prepared) {
          await work.prepare!();
          prepared = true;
          started();
        }
        await work.round();
        attempt = 0;
      } catch (err) {
        if (!this.active) break;
        if (!this.retriable(err)) {
          this.active = false;
          await this.crash(err);
          failed(err);
          return;
        }
        started();
        const delayMs = backoffDelayMs(attempt++, this.options.retryBackoffMs, this.options.retryBackoffMaxMs, this.options.random ?? Math.random);
        const error = err instanceof CallbackError ? err.error : err;
        this.options.instrumentation.emit('consumer.retry', { error, groupId: this.options.groupId, attempt, delayMs });
        try {
          this.options.onError?.(error);
        } catch {
          // The user's error callback cannot stop the loop.
        }
        await this.sleep(Math.max(delayMs, 1));
      }
    }
    started();
  }

  private retriable(err: unknown): boolean {
    return err instanceof CallbackError || isRetriableError(err) || this.options.isRecoverable?.(err) === true;
  }

  private async crash(err: unknown): Promise<void> {
    const { instrumentation, groupId } = this.options;
    if (!instrumentation.has('consumer.crash')) {
      const what = err instanceof Error ? `${err.name}${'code' in err ? ` ${String(err.code)}` : ''}: ${err.message}` : String(err);
      process.stderr.write(`kafkaless consumer${groupId !== undefined ? ` of group '${groupId}'` : ''} crashed and stopped: ${what}\n`);
    }
    instrumentation.emit('consumer.crash', { error: err, groupId, restart: false });
    try {
      await this.options.onCrash?.(err);
    } catch {
      // Best effort: the crash is already reported.
    }
  }

  /** Waits, cut short by stop(). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
