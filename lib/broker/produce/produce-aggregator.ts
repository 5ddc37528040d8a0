/**
 * Aggregation of produce requests in a long-lived process (the Kafka
 * gateway, an embedded client): requests handed in within a linger window —
 * from any connection or producer — are produced together, as one ingest
 * object and as few commits as fit (./produce.ts, produceMany). Each request
 * still gets its own outcome, and is answered only once its own records are
 * committed (DESIGN.md §7, invariant 11).
 *
 * A window opens with the first request and closes after `lingerMs`, or at
 * once when it holds `maxBytes`. Windows are written one at a time, in the
 * order they closed, so requests to a partition commit in the order they
 * were handed in; while one window is written the next gathers requests
 * (as Kafka's producer batches while a request is in flight).
 */
import { GATEWAY_LINGER_BYTES, GATEWAY_LINGER_MS } from '../../limits.js';
import type { ProduceReply } from '../../protocol/log-replies.js';
import type { ProduceRequest } from '../../protocol/log-requests.js';
import type { ProduceOutcome } from './produce.js';

export interface AggregationOptions {
  /** How long a window stays open after its first request. */
  readonly lingerMs: number;
  /** A window closes as soon as its batches hold this many bytes. */
  readonly maxBytes: number;
}

/** The gateway's defaults: a few milliseconds, a few MiB. */
export const DEFAULT_AGGREGATION: AggregationOptions = { lingerMs: GATEWAY_LINGER_MS.default, maxBytes: GATEWAY_LINGER_BYTES.default };

interface Waiting {
  readonly request: ProduceRequest;
  readonly bytes: number;
  readonly resolve: (reply: ProduceReply) => void;
  readonly reject: (error: unknown) => void;
}

export type ProduceWindow = (requests: readonly ProduceRequest[]) => Promise<ProduceOutcome[]>;

export class ProduceAggregator {
  private open: Waiting[] = [];
  private openBytes = 0;
  /** The open window's linger has passed (or it is full): it goes as soon as the writer is free. */
  private due = false;
  private timer: NodeJS.Timeout | undefined;
  /** Full windows waiting for the writer, oldest first. */
  private readonly full: Waiting[][] = [];
  private writing = false;

  constructor(
    private readonly write: ProduceWindow,
    private readonly options: AggregationOptions,
  ) {}

  /** Hands a request in (synchronously: requests keep the order they were handed in) and resolves with its reply. */
  submit(request: ProduceRequest): Promise<ProduceReply> {
    return new Promise<ProduceReply>((resolve, reject) => {
      const bytes = request.entries.reduce((n, e) => n + Math.floor((e.batch.length * 3) / 4), 0);
      if (this.open.length > 0 && this.openBytes + bytes > this.options.maxBytes) this.seal();
      this.open.push({ request, bytes, resolve, reject });
      this.openBytes += bytes;
      if (this.openBytes >= this.options.maxBytes) this.seal();
      else if (this.options.lingerMs <= 0) this.due = true;
      else this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.due = true;
        void this.drain();
      }, this.options.lingerMs);
      void this.drain();
    });
  }

  /** The open window is full: it waits for the writer as it is, and the next request opens a new one. */
  private seal(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.full.push(this.open);
    this.open = [];
    this.openBytes = 0;
    this.due = false;
  }

  private next(): Waiting[] | undefined {
    const window = this.full.shift();
    if (window !== undefined) return window;
    if (!this.due || this.open.length === 0) return undefined;
    const open = this.open;
    this.open = [];
    this.openBytes = 0;
    this.due = false;
    return open;
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      for (let window = this.next(); window !== undefined; window = this.next()) {
        const waiting = window;
        const outcomes = await this.write(waiting.map((w) => w.request)).catch((error: unknown) => waiting.map(() => ({ error })));
        waiting.forEach((w, i) => {
          const outcome = outcomes[i] ?? { error: new Error('The produce window answered fewer requests than it was given') };
          if (outcome.error !== undefined) w.reject(outcome.error);
          else w.resolve((outcome as { reply: ProduceReply }).reply);
        });
      }
    } finally {
      this.writing = false;
    }
  }
}
