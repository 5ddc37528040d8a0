/**
 * Sends sealed batches: per partition, in order, at most max.in.flight
 * requests at once; batches of several partitions share a request (up to
 * max.request.size bytes and MAX_PRODUCE_PARTITIONS batches). Retriable
 * failures are retried with backoff (same sequence, so the broker drops
 * duplicates); an out-of-order reply for a batch behind a failed one is
 * retried once the earlier ones settle, so order is kept.
 *
 * acks=0 requests go as Lambda Event invocations while they fit Lambda's
 * asynchronous payload; a larger one goes as a synchronous invocation that
 * the batches do not wait for (they resolve once it is sent), which flush()
 * still waits for.
 */
import { KafkalessError, InfrastructureError } from '../../errors.js';
import { LAMBDA_ASYNC_PAYLOAD_BYTES, MAX_PRODUCE_PARTITIONS } from '../../limits.js';
import { incrementSequence } from '../../log/index.js';
import type { ProduceReply } from '../../protocol/log-replies.js';
import { topicPartitionKey } from '../../protocol/topic-partition-key.js';
import { backoffDelayMs } from '../../retry.js';
import { unwrapReply, type Transport } from '../transport.js';
import type { ProducerBatch } from './batch.js';
import type { ResolvedProducerConfig } from './config.js';

export interface ProducerSession {
  producerId: number;
  producerEpoch: number;
}

class PartitionLane {
  readonly batches: ProducerBatch[] = [];
  inFlight = 0;
  /** Sequence the broker expects next (after the last acknowledged batch). */
  ackedNextSequence = 0;
  nextSequence = 0;
  /** After a failure, one request at a time until the lane is clean again. */
  recovering = false;
  /** Acknowledgements so far: a sequence error for a batch sent before the last of them may be out of date. */
  acks = 0;
  /** Per batch in flight: `acks` when it was sent. */
  readonly acksAtSend = new WeakMap<ProducerBatch, number>();

  /** Records that the broker holds everything up to `lastSequence` (replies may come back out of order). */
  acknowledge(lastSequence: number): void {
    const next = incrementSequence(lastSequence, 1);
    if (isAfter(next, this.ackedNextSequence)) this.ackedNextSequence = next;
    this.acks++;
  }
}

/** Whether sequence `a` comes after `b` in the wrapping sequence space. */
function isAfter(a: number, b: number): boolean {
  const span = 2 ** 31;
  const distance = (a - b + span) % span;
  return distance !== 0 && distance < span / 2;
}

export class Sender {
  private readonly lanes = new Map<string, PartitionLane>();
  private readonly idleWaiters: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private draining = false;
  /** acks=0 requests sent synchronously whose batches already resolved: flush() waits for them. */
  private readonly unacknowledged = new Set<Promise<void>>();

  constructor(
    private readonly transport: Transport,
    private readonly config: ResolvedProducerConfig,
    private readonly session: () => Promise<ProducerSession | undefined>,
    private readonly onDone: (batch: ProducerBatch) => void,
    /** Fields every produce request carries besides its batches (the transaction it belongs to). */
    private readonly requestFields: () => Record<string, unknown> = () => ({}),
  ) {}

  /** Every partition's sequences start again at 0 (each transaction's do); call only while nothing is pending. */
  resetSequences(): void {
    for (const lane of this.lanes.values()) {
      lane.nextSequence = 0;
      lane.ackedNextSequence = 0;
    }
  }

  /** Queues a sealed batch and gives it its sequence. */
  async enqueue(batch: ProducerBatch): Promise<void> {
    const lane = this.lane(batch.topic, batch.partition);
    const session = batch.acks === 0 ? undefined : await this.session();
    if (session !== undefined) {
      batch.sequence(session.producerId, session.producerEpoch, lane.nextSequence);
      lane.nextSequence = incrementSequence(lane.nextSequence, batch.records.length);
    }
    batch.state = 'ready';
    lane.batches.push(batch);
    this.wake();
  }

  /** Resolves when nothing is queued or in flight. */
  async idle(): Promise<void> {
    if (this.isIdle()) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.pending() === 0 && this.unacknowledged.size === 0;
  }

  private wakeIdleWaiters(): void {
    if (this.isIdle()) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  pending(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.batches.length;
    return n;
  }

  private lane(topic: string, partition: number): PartitionLane {
    const key = topicPartitionKey(topic, partition);
    let lane = this.lanes.get(key);
    if (lane === undefined) {
      lane = new PartitionLane();
      this.lanes.set(key, lane);
    }
    return lane;
  }

  private wake(delayMs = 0): void {
    if (this.timer !== undefined) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, delayMs);
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      const now = Date.now();
      let nextRetryAt = Infinity;
      const byAcks = new Map<number, ProducerBatch[]>();
      for (const lane of this.lanes.values()) {
        const limit = lane.recovering ? 1 : this.config.maxInFlight;
        const next = lane.batches.find((b) => b.state === 'ready');
        if (next === undefined || lane.inFlight >= limit) continue;
        if (lane.recovering && lane.batches.some((b) => b.state === 'inflight')) continue;
        if (next.retryAtMs > now) {
          nextRetryAt = Math.min(nextRetryAt, next.retryAtMs);
          continue;
        }
        if (now - next.createdAtMs > this.config.deliveryTimeoutMs) {
          this.finish(next, () => next.fail(new KafkalessError('RequestTimedOut', `The batch for ${next.topic}-${next.partition} was not acknowledged within delivery.timeout.ms (${this.config.deliveryTimeoutMs} ms)`)));
          this.wake();
          continue;
        }
        byAcks.set(next.acks, [...(byAcks.get(next.acks) ?? []), next]);
      }
      for (const [acks, batches] of byAcks) {
        let request: ProducerBatch[] = [];
        let size = 0;
        for (const b of batches) {
          const bytes = (await b.encode()).length;
          if (request.length > 0 && (size + bytes > this.config.maxRequestSizeBytes || request.length === MAX_PRODUCE_PARTITIONS)) {
            this.dispatch(acks as -1 | 0 | 1, request);
            request = [];
            size = 0;
          }
          request.push(b);
          size += bytes;
        }
        if (request.length > 0) this.dispatch(acks as -1 | 0 | 1, request);
      }
      if (nextRetryAt !== Infinity) this.wake(Math.max(1, nextRetryAt - Date.now()));
    } finally {
      this.draining = false;
    }
  }

  private dispatch(acks: -1 | 0 | 1, batches: ProducerBatch[]): void {
    for (const b of batches) {
      b.state = 'inflight';
      b.attempts++;
      const lane = this.lane(b.topic, b.partition);
      lane.inFlight++;
      lane.acksAtSend.set(b, lane.acks);
    }
    void this.send(acks, batches);
  }

  private async send(acks: -1 | 0 | 1, batches: ProducerBatch[]): Promise<void> {
    let reply: ProduceReply | undefined;
    let failure: unknown;
    let sentWithoutWaiting = false;
    try {
      const entries = await Promise.all(batches.map(async (b) => ({ topic: b.topic, partition: b.partition, batch: (await b.encode()).toString('base64') })));
      const request = { action: 'produce', acks, entries, ...this.requestFields() };
      if (acks === 0 && Buffer.byteLength(JSON.stringify(request)) > LAMBDA_ASYNC_PAYLOAD_BYTES) {
        this.sendWithoutWaiting(request, batches);
        sentWithoutWaiting = true;
      } else {
        const raw = await this.transport.invoke('produce', request, { async: acks === 0 });
        reply = acks === 0 ? unacknowledgedReply(batches) : unwrapReply<ProduceReply>(raw, 'produce');
      }
    } catch (err) {
      failure = err;
    }
    if (sentWithoutWaiting) reply = unacknowledgedReply(batches);
    else for (const b of batches) this.lane(b.topic, b.partition).inFlight--;
    if (reply !== undefined) {
      batches.forEach((b, i) => {
        const entry = reply.entries[i]!;
        const lane = this.lane(b.topic, b.partition);
        if (b.baseSequence >= 0) lane.acknowledge(b.lastSequence);
        this.finish(b, () => b.complete(entry.baseOffset, entry.logAppendTime));
        if (!lane.batches.some((x) => x.state !== 'ready')) lane.recovering = false;
      });
    } else {
      for (const b of batches) this.handleFailure(b, failure, batches.length);
    }
    this.wake();
  }

  /**
   * An acks=0 request too large for an Event invocation: invoked
   * synchronously, its batches resolve now (acks=0 reports no outcome) while
   * their lanes count it in flight until the reply is in.
   */
  private sendWithoutWaiting(request: object, batches: readonly ProducerBatch[]): void {
    const settled = this.transport.invoke('produce', request).then(
      () => undefined,
      () => undefined,
    );
    const tracked: Promise<void> = settled.then(() => {
      for (const b of batches) this.lane(b.topic, b.partition).inFlight--;
      this.unacknowledged.delete(tracked);
      this.wakeIdleWaiters();
      this.wake();
    });
    this.unacknowledged.add(tracked);
  }

  private handleFailure(batch: ProducerBatch, err: unknown, requestSize: number): void {
    const lane = this.lane(batch.topic, batch.partition);
    const context = err instanceof KafkalessError ? err.context : {};
    const aboutOther = context.topic !== undefined && (context.topic !== batch.topic || context.partition !== batch.partition) && requestSize > 1;
    const earliest = lane.batches.find((b) => b.state !== 'done') === batch;
    if (aboutOther) return this.retry(batch, lane, 0);
    if (err instanceof KafkalessError && err.code === 'DuplicateSequenceNumber' && batch.baseSequence >= 0) {
      // Appended before, longer ago than the broker remembers (Kafka's producer takes this as success): offset unknown.
      lane.acknowledge(batch.lastSequence);
      this.finish(batch, () => batch.complete(-1, -1));
      return;
    }
    if (err instanceof KafkalessError && err.code === 'OutOfOrderSequence') {
      if (!earliest) return this.retry(batch, lane, 0);
      // Requests travel in parallel: the batch before it may have landed only after this one was judged.
      if (lane.acks > (lane.acksAtSend.get(batch) ?? lane.acks)) return this.retry(batch, lane, 0);
      if (batch.baseSequence !== lane.ackedNextSequence) {
        // Its reply is in: it is no longer in flight, so the renumbering takes it too (else the lane waits on it forever).
        batch.state = 'ready';
        return this.renumber(lane);
      }
    }
    const retriable = (err instanceof KafkalessError || err instanceof InfrastructureError) && err.retriable;
    if (retriable && Date.now() - batch.createdAtMs < this.config.deliveryTimeoutMs) {
      return this.retry(batch, lane, backoffDelayMs(batch.attempts, this.config.retryBackoffMs, this.config.retryBackoffMaxMs, this.config.random));
    }
    this.finish(batch, () => batch.fail(err instanceof Error ? err : new Error(String(err))));
    // The broker never appended it: the batches behind it take its sequence numbers.
    if (batch.baseSequence >= 0) this.renumber(lane);
  }

  private retry(batch: ProducerBatch, lane: PartitionLane, delayMs: number): void {
    batch.state = 'ready';
    batch.retryAtMs = Date.now() + delayMs;
    lane.recovering = true;
  }

  /** Gives the lane's unacknowledged batches consecutive sequences from what the broker expects. */
  private renumber(lane: PartitionLane): void {
    let seq = lane.ackedNextSequence;
    for (const b of lane.batches) {
      if (b.state === 'done' || b.baseSequence < 0) continue;
      if (b.state === 'inflight') return; // settle first; its reply renumbers again
      b.sequence(b.producerId, b.producerEpoch, seq);
      b.state = 'ready';
      seq = incrementSequence(seq, b.records.length);
    }
    lane.nextSequence = seq;
    lane.recovering = true;
  }

  private finish(batch: ProducerBatch, settle: () => void): void {
    settle();
    const lane = this.lane(batch.topic, batch.partition);
    const i = lane.batches.indexOf(batch);
    if (i >= 0) lane.batches.splice(i, 1);
    this.onDone(batch);
    this.wakeIdleWaiters();
  }
}

/** What an acks=0 request answers: no offsets. */
function unacknowledgedReply(batches: readonly ProducerBatch[]): ProduceReply {
  return { entries: batches.map((b) => ({ topic: b.topic, partition: b.partition, baseOffset: -1, logAppendTime: -1, logStartOffset: -1 })) };
}
