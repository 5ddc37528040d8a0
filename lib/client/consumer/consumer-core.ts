/**
 * What the plain consumer and the group consumer share, each built from the
 * same parts: a PartitionFetcher (positions, pauses, buffered records), the
 * one ConsumeLoop, delivery to eachMessage/eachBatch, and kafkajs-style
 * instrumentation events. The two differ only in where their partitions
 * come from (assign, or the group) and in what "processed" commits.
 *
 * `run()` resolves once the loop has started (kafkajs's contract): for a
 * group consumer, once its first join succeeded or failed retriably; it
 * rejects when the consumer cannot work at all (a fatal error before the
 * first round). Later fatal errors end the loop with `consumer.crash`.
 * `stop()` and `disconnect()` never reject because of the loop.
 */
import { KafkalessError } from '../../errors.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from '../../protocol/offset-timestamps.js';
import type { Transport } from '../transport.js';
import { resolveConsumerConfig, type ConsumerConfig, type ResolvedConsumerConfig } from './config.js';
import { CONSUMER_EVENTS, ConsumerInstrumentation, type ConsumerEventListener, type ConsumerEventName } from './consumer-events.js';
import { ConsumeLoop, type ConsumeLoopOptions, type LoopWork } from './consume-loop.js';
import { deliver, validateRunOptions, type DeliveryTarget } from './delivery.js';
import { PartitionFetcher } from './fetcher.js';
import { offsetsByTopic, tpKey, type ConsumerRecord, type OffsetsByTopicPartition, type RunOptions, type TopicPartition, type TopicPartitions } from './records.js';

export interface PollOptions {
  readonly timeoutMs?: number;
  /** At most this many records (and never more than max.poll.records); the rest stay buffered, not handed out. */
  readonly maxRecords?: number;
}

export interface PartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** Java's OffsetAndTimestamp per partition: null when no record has a timestamp at or after the one asked. */
export interface OffsetForTime {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number | null;
  readonly timestamp: number | null;
}

export abstract class ConsumerCore {
  readonly config: ResolvedConsumerConfig;
  /** kafkajs's `consumer.events`: the event names for `on`. */
  readonly events = CONSUMER_EVENTS;
  readonly instrumentation = new ConsumerInstrumentation();
  protected readonly fetcher: PartitionFetcher;
  protected loop: ConsumeLoop | undefined;
  private readonly seeks = new Map<string, number>();
  /** Next offsets processed by run(), per partition, for eachBatch's uncommittedOffsets(). */
  protected readonly resolved = new Map<string, PartitionOffset>();

  constructor(
    protected readonly transport: Transport,
    config: ConsumerConfig,
  ) {
    this.config = resolveConsumerConfig(config);
    this.fetcher = new PartitionFetcher(transport, this.config, this.instrumentation);
  }

  /** Adds an instrumentation listener (kafkajs's `consumer.on`); returns the function that removes it. */
  on<E extends ConsumerEventName>(eventName: E, listener: ConsumerEventListener<E>): () => void {
    return this.instrumentation.on(eventName, listener);
  }

  async connect(): Promise<void> {
    this.instrumentation.emit('consumer.connect', {});
  }

  assignment(): TopicPartition[] {
    return this.fetcher.assignment();
  }

  /** The next record fetched for this partition will be at `offset`. */
  seek(tp: TopicPartition & { offset: number | string }): void {
    const offset = Number(tp.offset);
    if (!Number.isSafeInteger(offset) || offset < 0) throw new KafkalessError('InvalidRequest', `Cannot seek to offset ${String(tp.offset)}: a whole number >= 0`);
    this.fetcher.requireAssigned(tp);
    this.sought(tp, offset);
  }

  async seekToBeginning(partitions: readonly TopicPartition[] = this.assignment()): Promise<void> {
    await this.seekToSpecial(partitions, EARLIEST_TIMESTAMP);
  }

  async seekToEnd(partitions: readonly TopicPartition[] = this.assignment()): Promise<void> {
    await this.seekToSpecial(partitions, LATEST_TIMESTAMP);
  }

  /** Positions each partition at its first record with a timestamp at or after `timestamp` (ms); past the last one, at the log end. */
  async seekToTimestamp(partitions: readonly TopicPartition[], timestamp: number | string): Promise<void> {
    this.soughtAll(partitions, await this.fetcher.seekToTimestamp(partitions, validTimestamp(timestamp)));
  }

  /** Java's offsetsForTimes: per partition, the first offset whose record's timestamp is at or after the one given. */
  async offsetsForTimes(partitions: readonly (TopicPartition & { timestamp: number | string })[]): Promise<OffsetForTime[]> {
    const listed = await this.fetcher.listOffsetsAt(partitions.map((tp) => ({ topic: tp.topic, partition: tp.partition, timestamp: validTimestamp(tp.timestamp) })));
    return listed.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset >= 0 ? p.offset : null, timestamp: p.offset >= 0 ? p.timestamp : null }));
  }

  /** Java's beginningOffsets: each partition's log start offset. */
  async beginningOffsets(partitions: readonly TopicPartition[]): Promise<PartitionOffset[]> {
    return (await this.fetcher.listOffsets(partitions, EARLIEST_TIMESTAMP)).map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset }));
  }

  /** Java's endOffsets: each partition's high watermark. */
  async endOffsets(partitions: readonly TopicPartition[]): Promise<PartitionOffset[]> {
    return (await this.fetcher.listOffsets(partitions, LATEST_TIMESTAMP)).map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset }));
  }

  /** The offset of the next record to be returned for this partition. */
  async position(tp: TopicPartition): Promise<number> {
    return this.fetcher.position(tp);
  }

  /** Stops fetching these partitions: `[{ topic, partition }]`, or kafkajs's `[{ topic, partitions? }]` (a whole topic when left out). */
  pause(partitions: readonly (TopicPartition | TopicPartitions)[]): void {
    this.fetcher.pause(partitions);
  }

  resume(partitions: readonly (TopicPartition | TopicPartitions)[]): void {
    this.fetcher.resume(partitions);
  }

  /** kafkajs's name for pausedPartitions, shaped `{ topic, partitions }`. */
  paused(): { topic: string; partitions: number[] }[] {
    const byTopic = new Map<string, number[]>();
    for (const tp of this.fetcher.pausedPartitions()) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
    return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
  }

  pausedPartitions(): TopicPartition[] {
    return this.fetcher.pausedPartitions();
  }

  /** Last high watermark seen for a partition (for lag), or undefined. */
  highWatermark(tp: TopicPartition): number | undefined {
    return this.fetcher.highWatermark(tp);
  }

  abstract poll(options?: PollOptions): Promise<ConsumerRecord[]>;

  /** Polls and hands each record (or batch) to the callbacks until `stop()`; see the class comment for what it resolves. */
  run(options: RunOptions): Promise<void> {
    try {
      validateRunOptions(options);
      if (this.loop?.running === true) throw new KafkalessError('InvalidRequest', 'The consumer is already running');
      this.beforeRun(options);
    } catch (err) {
      const rejected = Promise.reject(err);
      rejected.catch(() => undefined);
      return rejected;
    }
    this.loop = this.newLoop(options);
    return this.loop.start(this.runWork(options));
  }

  /** Ends run() after the current callback returns; never rejects. */
  async stop(): Promise<void> {
    const wasRunning = this.loop?.running === true;
    await this.loop?.stop();
    if (wasRunning) this.instrumentation.emit('consumer.stop', {});
  }

  abstract disconnect(): Promise<void>;

  /** The loop for run(); the pipeline builds its own with the same options. */
  newLoop(options: Pick<RunOptions, 'onError'> = {}, overrides: Partial<ConsumeLoopOptions> = {}): ConsumeLoop {
    return new ConsumeLoop({
      instrumentation: this.instrumentation,
      retryBackoffMs: this.config.retryBackoffMs,
      retryBackoffMaxMs: this.config.retryBackoffMaxMs,
      ...this.loopOptions(),
      ...(options.onError !== undefined ? { onError: options.onError } : {}),
      ...overrides,
    });
  }

  /** Whether run()'s loop (or a loop over this consumer) is running. */
  protected isRunning(): boolean {
    return this.loop?.running === true;
  }

  protected beforeRun(_options: RunOptions): void {}

  protected abstract loopOptions(): Partial<ConsumeLoopOptions>;

  protected abstract runWork(options: RunOptions): LoopWork;

  /** One round of run(): poll, deliver, then `after` (e.g. an auto-commit). */
  protected async runRound(options: RunOptions, after: () => Promise<void> = async () => undefined): Promise<void> {
    const records = await this.poll({ timeoutMs: this.config.fetchMaxWaitMs });
    try {
      await deliver(records, options, this.deliveryTarget());
    } finally {
      await after();
    }
  }

  /** Records processed up to `nextOffset`; a group also marks them for its commit. */
  protected markProcessed(tp: TopicPartition, nextOffset: number): void {
    this.resolved.set(tpKey(tp), { topic: tp.topic, partition: tp.partition, offset: nextOffset });
  }

  /** The user moved this partition: later batches of it before the move are stale. */
  protected sought(tp: TopicPartition, offset: number): void {
    this.fetcher.seek(tp, offset);
    this.seeks.set(tpKey(tp), (this.seeks.get(tpKey(tp)) ?? 0) + 1);
  }

  protected holdsForDelivery(tp: TopicPartition): boolean {
    return this.fetcher.holds(tp);
  }

  protected async commitOffsetsIfNecessary(_offsets?: OffsetsByTopicPartition): Promise<void> {}

  protected uncommittedOffsets(): OffsetsByTopicPartition {
    return offsetsByTopic(this.resolved.values());
  }

  private deliveryTarget(): DeliveryTarget {
    return {
      instrumentation: this.instrumentation,
      holds: (tp) => this.holdsForDelivery(tp),
      isPaused: (tp) => this.fetcher.isPaused(tp),
      isRunning: () => this.isRunning(),
      markProcessed: (tp, nextOffset) => {
        if (this.holdsForDelivery(tp)) this.markProcessed(tp, nextOffset);
      },
      rewind: (tp, offset) => {
        if (this.fetcher.holds(tp)) this.fetcher.seek(tp, offset);
      },
      pause: (tp) => this.fetcher.pause([tp]),
      resume: (tp) => this.fetcher.resume([tp]),
      highWatermark: (tp) => this.fetcher.highWatermark(tp),
      commitOffsetsIfNecessary: (offsets) => this.commitOffsetsIfNecessary(offsets),
      uncommittedOffsets: () => this.uncommittedOffsets(),
      seekCount: (tp) => this.seeks.get(tpKey(tp)) ?? 0,
    };
  }

  private async seekToSpecial(partitions: readonly TopicPartition[], timestamp: typeof EARLIEST_TIMESTAMP | typeof LATEST_TIMESTAMP): Promise<void> {
    this.soughtAll(partitions, await this.fetcher.seekTo(partitions, timestamp));
  }

  private soughtAll(partitions: readonly TopicPartition[], taken: ReadonlyMap<string, number>): void {
    for (const tp of partitions) {
      const offset = taken.get(tpKey(tp));
      if (offset !== undefined) this.sought(tp, offset);
    }
  }
}

function validTimestamp(timestamp: number | string): number {
  const ts = typeof timestamp === 'string' && !/^\d+$/.test(timestamp) ? Date.parse(timestamp) : Number(timestamp);
  if (!Number.isSafeInteger(ts) || ts < 0) throw new KafkalessError('InvalidTimestamp', `Invalid timestamp ${String(timestamp)}: ms since the epoch, or an ISO date`);
  return ts;
}
