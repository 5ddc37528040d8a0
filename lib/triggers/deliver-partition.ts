/**
 * Delivery of one partition to one subscription, under the lease that makes
 * this invocation its only deliverer: from the group's committed offset (or
 * the starting position), a batch at a time, in offset order, each batch
 * invoked, then committed. Failures are retried with backoff; with
 * bisectBatchOnFunctionError a failing batch is halved until the failure is
 * isolated; with reportBatchItemFailures the records before the first failed
 * one are committed; records older than maximumRecordAgeMs, and batches
 * that exhausted their retries, go to the on-failure topic (or are dropped
 * without one) and the offset moves past them. At least once: the offset
 * moves only after the function succeeded or the records were dead-lettered.
 * With exactlyOnce, the function's output records move with the offset in
 * one transaction (partition-progress.ts).
 */
import { backoffDelayMs } from '../retry.js';
import type { SubscriptionSpec } from '../names.js';
import { SUBSCRIPTION_EVENT_BYTES } from '../limits.js';
import type { FailureReason } from './dead-letter.js';
import type { TriggerDeps } from './deps.js';
import { interpretInvocation, type InvocationOutcome, type InvocationResult } from './invocation-outcome.js';
import { buildKafkaEvent, type DeliveredRecord } from './msk-event.js';
import { parseOutput } from './output-parse.js';
import { recordFilter } from './record-filter.js';
import { committedOffset, EARLIEST_TIMESTAMP, fetchRecords, LATEST_TIMESTAMP, offsetAt, type TopicPartitionRef } from './partition-log.js';
import { partitionProgress, type CommitWork, type DeadLetters, type PartitionProgress } from './partition-progress.js';
import type { OutputMessage } from '../client/consume-transform-produce.js';
import { effectiveRetryAttempts, hasOnFailureDestination } from './subscriptions.js';

export interface DeliverOptions {
  /** Stop starting invocations after this (epoch ms): the trigger's own timeout is near. */
  readonly deadlineMs: number;
  /** For LATEST with nothing committed: the high watermark before the appends that woke us. */
  readonly latestHint?: number;
}

export type DeliveryStatus =
  /** Nothing left below the high watermark. */
  | 'caught-up'
  /** Another invocation holds the partition's lease. */
  | 'busy'
  /** Out of time, or the lease was lost: more remains. */
  | 'interrupted';

export interface DeliveryReport {
  readonly status: DeliveryStatus;
  readonly invocations: number;
  readonly delivered: number;
  readonly deadLettered: number;
  /** Records the filter criteria left out (skipped, committed). */
  readonly filtered: number;
}

const RETRY_INITIAL_DELAY_MS = 100;
const RETRY_MAX_DELAY_MS = 5_000;
/** Besides the user's function: a fetch, a commit, maybe a dead-letter produce. */
const STEP_MARGIN_MS = 10_000;

export function leaseName(subscription: string, tp: TopicPartitionRef): string {
  return `lease#sub#${subscription}#${tp.topic}#${tp.partition}`;
}

export async function deliverPartition(deps: TriggerDeps, spec: SubscriptionSpec, tp: TopicPartitionRef, options: DeliverOptions): Promise<DeliveryReport> {
  const lease = leaseName(spec.name, tp);
  const leaseMs = spec.functionTimeoutMs + STEP_MARGIN_MS * 2;
  if (!(await deps.leases.acquire(lease, deps.owner, deps.now(), leaseMs))) return { status: 'busy', invocations: 0, delivered: 0, deadLettered: 0, filtered: 0 };
  const progress = partitionProgress(deps, spec, tp);
  try {
    await progress.open();
    return await new PartitionDelivery(deps, spec, tp, options, lease, leaseMs, progress).run();
  } finally {
    await progress.close().catch(() => undefined);
    await deps.leases.release(lease, deps.owner);
  }
}

class PartitionDelivery {
  private invocations = 0;
  private delivered = 0;
  private deadLettered = 0;
  /** Failed attempts of the batch at the current position. */
  private attempts = 0;
  private lastError: string | undefined;
  /** While bisecting: at most this many records per batch, until the position passes failingThrough. */
  private span: number;
  private failingThrough = -1;
  private filtered = 0;
  private readonly wanted: ((record: DeliveredRecord) => boolean) | undefined;
  /** A connector held back the tail of its batch with nothing more to read, or without moving: stop until the next append wakes the partition. */
  private held = false;

  constructor(
    private readonly deps: TriggerDeps,
    private readonly spec: SubscriptionSpec,
    private readonly tp: TopicPartitionRef,
    private readonly options: DeliverOptions,
    private readonly lease: string,
    private readonly leaseMs: number,
    private readonly progress: PartitionProgress,
  ) {
    this.span = spec.batchSize;
    this.wanted = recordFilter(spec.filterPatterns);
  }

  async run(): Promise<DeliveryReport> {
    let position = await this.startOffset();
    for (let step = 0; ; step++) {
      // The first batch is always tried: a function whose timeout is near the trigger's own would never be invoked otherwise.
      if (step > 0 && this.deps.now() + this.spec.functionTimeoutMs + STEP_MARGIN_MS > this.options.deadlineMs) return this.report('interrupted');
      if (!(await this.deps.leases.renew(this.lease, this.deps.owner, this.deps.now(), this.leaseMs))) return this.report('interrupted');
      if (position > this.failingThrough) this.span = this.spec.batchSize;
      const fetched = await fetchRecords(this.deps.broker, this.tp, position, Math.min(this.span, this.spec.batchSize));
      if (fetched.kind === 'out-of-range') {
        // Retention removed records below the committed offset: they can no longer be delivered.
        const moved = position < fetched.logStartOffset ? fetched.logStartOffset : fetched.highWatermark;
        this.deps.log('warn', 'subscription offset out of range; moved', { subscription: this.spec.name, ...this.tp, from: position, to: moved });
        await this.progress.commit(moved);
        position = moved;
        continue;
      }
      if (fetched.records.length === 0) return this.report('caught-up');
      position = await this.step(position, fetched.records, fetched.highWatermark);
      if (this.held) return this.report('caught-up');
    }
  }

  /** One batch: returns the next position. */
  private async step(position: number, records: readonly DeliveredRecord[], highWatermark: number): Promise<number> {
    const { fresh, expired } = this.splitByAge(records);
    if (expired.length > 0) {
      const next = fresh[0]?.offset ?? records[records.length - 1]!.offset + 1;
      return this.advance(next, { deadLetters: this.giveUp(expired, 'RecordExpired') });
    }
    const wanted = this.wanted === undefined ? fresh : fresh.filter(this.wanted);
    const fetchedEnd = fresh[fresh.length - 1]!.offset + 1;
    // Records the filter criteria leave out are skipped: committed, never invoked (a leading run at once, so a batch starts at the position).
    if (wanted.length === 0 || wanted[0]!.offset > position) {
      const skipTo = wanted[0]?.offset ?? fetchedEnd;
      this.filtered += fresh.filter((r) => r.offset < skipTo).length;
      return this.advance(skipTo);
    }
    const batch = fitToPayload(this.deps, wanted);
    // Past the batch's last record, and the skipped ones after it when the batch holds every wanted record fetched.
    const next = batch.length === wanted.length ? fetchedEnd : batch[batch.length - 1]!.offset + 1;
    const skippedInBatch = fresh.filter((r) => r.offset < next).length - batch.length;
    const connector = this.spec.connector !== undefined;
    const event = JSON.stringify(buildKafkaEvent(this.deps.source, batch, connector ? highWatermark : undefined));
    this.invocations++;
    const { outcome, output } = this.interpret(await this.deps.invoke(this.spec.functionName, event), batch);
    if (outcome.kind === 'held') {
      // What came before the hold is done. The held records are read again: at once when the log holds more
      // and the hold moved on, else when the next append wakes the partition (a paused connector holds in place).
      this.delivered += outcome.fromOffset - batch[0]!.offset;
      this.attempts = 0;
      this.held = outcome.fromOffset <= position || next >= highWatermark;
      return outcome.fromOffset > position ? this.advance(outcome.fromOffset) : position;
    }
    if (outcome.kind === 'success') {
      this.delivered += batch.length;
      this.filtered += skippedInBatch;
      this.attempts = 0;
      return this.advance(next, { output });
    }
    const failedFrom = outcome.kind === 'partial' ? outcome.firstFailedOffset : batch[0]!.offset;
    const failed = batch.filter((r) => r.offset >= failedFrom);
    this.lastError = outcome.kind === 'error' ? outcome.message : `ReportBatchItemFailures from offset ${failedFrom}`;
    if (failedFrom > position && this.spec.exactlyOnce === true) {
      // The output may hold results of records after the first failed one, which are delivered again: none of it is
      // kept, and the records before the failure are invoked again on their own (not a retry: they succeeded).
      this.span = failedFrom - position;
      this.failingThrough = Math.max(this.failingThrough, next - 1);
      return position;
    }
    this.delivered += batch.length - failed.length;
    if (failedFrom > position) {
      // Partial success: what came before the first failure is done.
      await this.progress.commit(failedFrom);
      this.attempts = 0;
    }
    if (this.spec.bisectBatchOnFunctionError && outcome.kind === 'error' && failed.length > 1) {
      // Halving isolates the failing records; a split is not counted as a retry (at most log2(batchSize) of them).
      this.span = Math.ceil(failed.length / 2);
      this.failingThrough = Math.max(this.failingThrough, next - 1);
    } else {
      this.attempts++;
      if (this.attempts > effectiveRetryAttempts(this.spec)) {
        // The records the function said it processed are done; only those it named failed are given up.
        const named = outcome.kind === 'partial' ? new Set(outcome.failedOffsets) : undefined;
        const deadLetters = this.giveUp(named === undefined ? failed : failed.filter((r) => named.has(r.offset)), 'RetriesExhausted');
        this.filtered += skippedInBatch;
        return this.advance(next, { deadLetters, output });
      }
    }
    this.deps.log('warn', 'subscription batch failed; retrying', { subscription: this.spec.name, ...this.tp, from: failedFrom, attempt: this.attempts, error: this.lastError });
    await this.deps.sleep(backoffDelayMs(this.attempts, RETRY_INITIAL_DELAY_MS, RETRY_MAX_DELAY_MS, this.deps.random));
    return failedFrom;
  }

  private async advance(next: number, work: CommitWork = {}): Promise<number> {
    await this.progress.commit(next, work);
    return next;
  }

  /** The outcome, and with exactlyOnce the output records the function answered (a malformed output fails the batch). */
  private interpret(result: InvocationResult, batch: readonly DeliveredRecord[]): { outcome: InvocationOutcome; output: readonly OutputMessage[] } {
    const outcome = interpretInvocation(result, { ...this.tp, offsets: new Set(batch.map((r) => r.offset)) }, this.spec.reportBatchItemFailures, this.spec.connector !== undefined);
    if (this.spec.exactlyOnce !== true || outcome.kind === 'error') return { outcome, output: [] };
    const parsed = parseOutput(result.payload);
    return parsed.ok ? { outcome, output: parsed.messages } : { outcome: { kind: 'error', message: parsed.message }, output: [] };
  }

  /** The records given up on, to go to the on-failure topic with the next commit (without one they are logged and dropped). */
  private giveUp(records: readonly DeliveredRecord[], reason: FailureReason): DeadLetters {
    const info = { subscription: this.spec.name, reason, attempts: this.attempts, ...(this.lastError !== undefined && reason === 'RetriesExhausted' ? { error: this.lastError } : {}) };
    if (!hasOnFailureDestination(this.spec)) {
      this.deps.log('warn', 'subscription dropped records (no on-failure topic)', { ...info, ...this.tp, from: records[0]?.offset, count: records.length });
    }
    this.deadLettered += records.length;
    this.attempts = 0;
    this.lastError = undefined;
    return { records, info };
  }

  private splitByAge(records: readonly DeliveredRecord[]): { fresh: DeliveredRecord[]; expired: DeliveredRecord[] } {
    if (this.spec.maximumRecordAgeMs < 0) return { fresh: [...records], expired: [] };
    const oldest = this.deps.now() - this.spec.maximumRecordAgeMs;
    // Only a leading run expires, so the batch delivered stays contiguous and in order.
    let i = 0;
    while (i < records.length && records[i]!.timestamp < oldest) i++;
    return { expired: records.slice(0, i), fresh: records.slice(i) };
  }

  private async startOffset(): Promise<number> {
    const committed = await committedOffset(this.deps.broker, this.spec.groupId, this.tp);
    const start = committed ?? (await this.startingPosition());
    await this.progress.started(start, committed !== undefined);
    return start;
  }

  private async startingPosition(): Promise<number> {
    switch (this.spec.startingPosition) {
      case 'TRIM_HORIZON':
        return offsetAt(this.deps.broker, this.tp, EARLIEST_TIMESTAMP);
      case 'LATEST':
        return this.options.latestHint ?? offsetAt(this.deps.broker, this.tp, LATEST_TIMESTAMP);
      case 'AT_TIMESTAMP':
        return offsetAt(this.deps.broker, this.tp, this.spec.startingPositionTimestampMs ?? EARLIEST_TIMESTAMP);
    }
  }

  private report(status: DeliveryStatus): DeliveryReport {
    return { status, invocations: this.invocations, delivered: this.delivered, deadLettered: this.deadLettered, filtered: this.filtered };
  }
}

/** The longest prefix whose event stays under the payload limit (at least one record). */
function fitToPayload(deps: TriggerDeps, records: readonly DeliveredRecord[]): readonly DeliveredRecord[] {
  let batch = records;
  while (batch.length > 1 && Buffer.byteLength(JSON.stringify(buildKafkaEvent(deps.source, batch))) > SUBSCRIPTION_EVENT_BYTES) {
    batch = batch.slice(0, Math.ceil(batch.length / 2));
  }
  return batch;
}
