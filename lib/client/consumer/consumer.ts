/**
 * The consumer's low-level half: assign partitions, seek, poll. Records come
 * back in offset order per partition; `auto.offset.reset` decides where a
 * partition without a position (or with one outside the log) starts.
 * `run({ eachMessage })` is a kafkajs-style loop over `poll`.
 */
import { KafkalessError, errorFromPayload } from '../../errors.js';
import { decodeRecordBatches, type RecordHeader } from '../../log/index.js';
import type { FetchReply, ListOffsetsReply } from '../../protocol/log-replies.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from '../../protocol/log-requests.js';
import { call, type Transport } from '../transport.js';
import { resolveConsumerConfig, type ConsumerConfig, type ResolvedConsumerConfig } from './config.js';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface ConsumerRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
}

/** kafkajs's message shape: offsets and timestamps as strings, headers as an object. */
export interface KafkaMessage {
  readonly offset: string;
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer | null | (Buffer | null)[]>;
}

export interface EachMessagePayload {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
}

export interface EachBatchPayload {
  readonly batch: { readonly topic: string; readonly partition: number; readonly highWatermark: string; readonly messages: KafkaMessage[] };
}

export interface RunOptions {
  readonly eachMessage?: (payload: EachMessagePayload) => Promise<void>;
  readonly eachBatch?: (payload: EachBatchPayload) => Promise<void>;
}

const key = (tp: TopicPartition): string => `${tp.topic}\u0000${tp.partition}`;

export class Consumer {
  readonly config: ResolvedConsumerConfig;
  private readonly assigned = new Map<string, TopicPartition>();
  private readonly positions = new Map<string, number>();
  private readonly paused = new Set<string>();
  private readonly highWatermarks = new Map<string, number>();
  private buffered: ConsumerRecord[] = [];
  private running = false;
  private stopped: Promise<void> | undefined;

  constructor(
    protected readonly transport: Transport,
    config: ConsumerConfig = {},
  ) {
    this.config = resolveConsumerConfig(config);
  }

  async connect(): Promise<void> {}

  /** Takes these partitions (replacing any earlier assignment). */
  assign(partitions: readonly TopicPartition[]): void {
    this.assigned.clear();
    for (const tp of partitions) this.assigned.set(key(tp), { topic: tp.topic, partition: tp.partition });
    for (const k of [...this.positions.keys()]) if (!this.assigned.has(k)) this.positions.delete(k);
    this.buffered = this.buffered.filter((r) => this.assigned.has(key(r)));
  }

  assignment(): TopicPartition[] {
    return [...this.assigned.values()];
  }

  seek(tp: TopicPartition & { offset: number | string }): void {
    this.requireAssigned(tp);
    this.positions.set(key(tp), Number(tp.offset));
    this.buffered = this.buffered.filter((r) => key(r) !== key(tp));
  }

  async seekToBeginning(partitions: readonly TopicPartition[] = this.assignment()): Promise<void> {
    await this.resetTo(partitions, EARLIEST_TIMESTAMP);
  }

  async seekToEnd(partitions: readonly TopicPartition[] = this.assignment()): Promise<void> {
    await this.resetTo(partitions, LATEST_TIMESTAMP);
  }

  /** The offset of the next record to be returned for this partition. */
  async position(tp: TopicPartition): Promise<number> {
    this.requireAssigned(tp);
    if (!this.positions.has(key(tp))) await this.applyReset([tp]);
    const buffered = this.buffered.find((r) => key(r) === key(tp));
    return buffered?.offset ?? this.positions.get(key(tp))!;
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.paused.add(key(tp));
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.paused.delete(key(tp));
  }

  pausedPartitions(): TopicPartition[] {
    return [...this.assigned.values()].filter((tp) => this.paused.has(key(tp)));
  }

  /** Last high watermark seen for a partition (for lag), or undefined. */
  highWatermark(tp: TopicPartition): number | undefined {
    return this.highWatermarks.get(key(tp));
  }

  /** Records available now or within `timeoutMs`, in offset order per partition, at most max.poll.records. */
  async poll(options: { timeoutMs?: number } = {}): Promise<ConsumerRecord[]> {
    const fromBuffer = this.takeBuffered();
    if (fromBuffer.length > 0) return fromBuffer;
    const active = [...this.assigned.values()].filter((tp) => !this.paused.has(key(tp)));
    if (active.length === 0) {
      if ((options.timeoutMs ?? 0) > 0) await new Promise((r) => setTimeout(r, Math.min(options.timeoutMs ?? 0, 1000)));
      return [];
    }
    const unpositioned = active.filter((tp) => !this.positions.has(key(tp)));
    if (unpositioned.length > 0) await this.applyReset(unpositioned);
    const reply = await call<FetchReply>(this.transport, 'fetch', {
      action: 'fetch',
      partitions: active.map((tp) => ({ ...tp, offset: this.positions.get(key(tp))!, maxBytes: this.config.maxPartitionFetchBytes })),
      maxBytes: this.config.fetchMaxBytes,
      maxWaitMs: Math.min(options.timeoutMs ?? 0, this.config.fetchMaxWaitMs),
      minBytes: this.config.fetchMinBytes,
    });
    const reset: TopicPartition[] = [];
    for (const p of reply.partitions) {
      const k = key(p);
      if (!this.assigned.has(k) || this.positions.get(k) === undefined) continue;
      this.highWatermarks.set(k, p.highWatermark);
      if (p.error !== undefined) {
        if (p.error.code === 'OffsetOutOfRange' && this.config.autoOffsetReset !== 'none') reset.push(p);
        else throw errorFromPayload(p.error);
        continue;
      }
      if (p.records === '') continue;
      const from = this.positions.get(k)!;
      const batches = await decodeRecordBatches(Buffer.from(p.records, 'base64'));
      let next = from;
      for (const batch of batches) {
        if (batch.isControl) {
          next = Math.max(next, batch.baseOffset + batch.lastOffsetDelta + 1);
          continue;
        }
        for (const r of batch.records) {
          if (r.offset < from) continue;
          this.buffered.push({ topic: p.topic, partition: p.partition, offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers });
        }
        next = Math.max(next, batch.baseOffset + batch.lastOffsetDelta + 1);
      }
      this.positions.set(k, next);
    }
    if (reset.length > 0) await this.applyReset(reset);
    return this.takeBuffered();
  }

  /** Polls and hands each record (or batch) to the callbacks until `stop()`. */
  async run(options: RunOptions): Promise<void> {
    if (options.eachMessage === undefined && options.eachBatch === undefined) {
      throw new KafkalessError('InvalidRequest', 'run needs eachMessage or eachBatch');
    }
    this.running = true;
    let done!: () => void;
    this.stopped = new Promise((resolve) => (done = resolve));
    void (async () => {
      try {
        while (this.running) {
          const records = await this.poll({ timeoutMs: this.config.fetchMaxWaitMs });
          await this.deliver(records, options);
        }
      } finally {
        done();
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.stopped;
  }

  async disconnect(): Promise<void> {
    await this.stop();
  }

  protected async deliver(records: readonly ConsumerRecord[], options: RunOptions): Promise<void> {
    if (options.eachBatch !== undefined) {
      const groups = new Map<string, ConsumerRecord[]>();
      for (const r of records) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
      for (const group of groups.values()) {
        const first = group[0]!;
        await options.eachBatch({
          batch: { topic: first.topic, partition: first.partition, highWatermark: String(this.highWatermark(first) ?? -1), messages: group.map(toKafkaMessage) },
        });
      }
      return;
    }
    for (const r of records) {
      if (!this.running) return;
      await options.eachMessage!({ topic: r.topic, partition: r.partition, message: toKafkaMessage(r) });
    }
  }

  private takeBuffered(): ConsumerRecord[] {
    const out = this.buffered.slice(0, this.config.maxPollRecords);
    this.buffered = this.buffered.slice(out.length);
    return out;
  }

  private requireAssigned(tp: TopicPartition): void {
    if (!this.assigned.has(key(tp))) {
      throw new KafkalessError('InvalidRequest', `Partition ${tp.partition} of '${tp.topic}' is not assigned to this consumer; assign it first`);
    }
  }

  private async applyReset(partitions: readonly TopicPartition[]): Promise<void> {
    if (this.config.autoOffsetReset === 'none') {
      const tp = partitions[0]!;
      throw new KafkalessError('OffsetOutOfRange', `No valid position for partition ${tp.partition} of '${tp.topic}' and auto.offset.reset is none; seek to an offset first`, {
        context: { topic: tp.topic, partition: tp.partition },
      });
    }
    await this.resetTo(partitions, this.config.autoOffsetReset === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP);
  }

  private async resetTo(partitions: readonly TopicPartition[], timestamp: number): Promise<void> {
    if (partitions.length === 0) return;
    partitions.forEach((tp) => this.requireAssigned(tp));
    const reply = await call<ListOffsetsReply>(this.transport, 'fetch', {
      action: 'listOffsets',
      partitions: partitions.map((tp) => ({ topic: tp.topic, partition: tp.partition, timestamp })),
    });
    for (const p of reply.partitions) {
      this.positions.set(key(p), p.offset);
      this.buffered = this.buffered.filter((r) => key(r) !== key(p));
    }
  }
}

export function toKafkaMessage(r: ConsumerRecord): KafkaMessage {
  const headers: Record<string, Buffer | null | (Buffer | null)[]> = {};
  for (const h of r.headers) {
    const existing = headers[h.key];
    if (existing === undefined) headers[h.key] = h.value;
    else headers[h.key] = Array.isArray(existing) ? [...existing, h.value] : [existing, h.value];
  }
  return { offset: String(r.offset), timestamp: String(r.timestamp), key: r.key, value: r.value, headers };
}
