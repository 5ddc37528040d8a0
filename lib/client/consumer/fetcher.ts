/**
 * The position tracker and fetcher both consumers are built on: the
 * partitions held, the next offset to fetch for each, paused partitions,
 * the last high watermark seen, and the records fetched but not yet handed
 * out. Records come back in offset order per partition; `auto.offset.reset`
 * decides where a partition without a position (or with one outside the
 * log) starts.
 */
import { KafkalessError, errorFromPayload } from '../../errors.js';
import { decodeRecordBatches } from '../../log/index.js';
import type { FetchReply, ListOffsetsReply, ListedOffset } from '../../protocol/log-replies.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from '../../protocol/offset-timestamps.js';
import { call, type Transport } from '../transport.js';
import type { ResolvedConsumerConfig } from './config.js';
import type { ConsumerInstrumentation } from './consumer-events.js';
import { tpKey as key, type ConsumerRecord, type TopicPartition, type TopicPartitions } from './records.js';

export class PartitionFetcher {
  private readonly assigned = new Map<string, TopicPartition>();
  private readonly positions = new Map<string, number>();
  private readonly paused = new Set<string>();
  /** Topics paused as a whole (kafkajs's `pause([{ topic }])`): their partitions, now and later. */
  private readonly pausedTopics = new Set<string>();
  private readonly highWatermarks = new Map<string, number>();
  private buffered: ConsumerRecord[] = [];

  constructor(
    private readonly transport: Transport,
    private readonly config: ResolvedConsumerConfig,
    private readonly instrumentation: ConsumerInstrumentation,
  ) {}

  /** Holds exactly these partitions: positions and buffered records of the others are dropped. */
  assign(partitions: readonly TopicPartition[]): void {
    this.assigned.clear();
    for (const tp of partitions) this.assigned.set(key(tp), { topic: tp.topic, partition: tp.partition });
    for (const k of [...this.positions.keys()]) if (!this.assigned.has(k)) this.positions.delete(k);
    this.buffered = this.buffered.filter((r) => this.assigned.has(key(r)));
  }

  assignment(): TopicPartition[] {
    return [...this.assigned.values()];
  }

  holds(tp: TopicPartition): boolean {
    return this.assigned.has(key(tp));
  }

  requireAssigned(tp: TopicPartition): void {
    if (!this.holds(tp)) {
      throw new KafkalessError('InvalidRequest', `Partition ${tp.partition} of '${tp.topic}' is not assigned to this consumer; assign it first`, {
        context: { topic: tp.topic, partition: tp.partition },
      });
    }
  }

  /** The next fetch of this partition starts at `offset`; what was buffered for it is dropped. */
  seek(tp: TopicPartition, offset: number): void {
    this.positions.set(key(tp), offset);
    this.buffered = this.buffered.filter((r) => key(r) !== key(tp));
  }

  /** The offset of the next record to be handed out for this partition. */
  async position(tp: TopicPartition): Promise<number> {
    this.requireAssigned(tp);
    if (!this.positions.has(key(tp))) await this.applyReset([tp]);
    const buffered = this.buffered.find((r) => key(r) === key(tp));
    return buffered?.offset ?? this.positions.get(key(tp))!;
  }

  pause(partitions: readonly (TopicPartition | TopicPartitions)[]): void {
    for (const tp of this.expand(partitions, true)) {
      this.paused.add(key(tp));
      // Buffered records of a paused partition are fetched again after resume.
      const first = this.buffered.find((r) => key(r) === key(tp));
      if (first !== undefined) this.seek(tp, first.offset);
    }
  }

  resume(partitions: readonly (TopicPartition | TopicPartitions)[]): void {
    for (const p of partitions) {
      if (!this.pausedTopics.delete(p.topic)) continue;
      // Some partitions of a topic paused as a whole: the others stay paused, one by one.
      for (const tp of this.assignment()) if (tp.topic === p.topic) this.paused.add(key(tp));
    }
    for (const tp of this.expand(partitions, false)) this.paused.delete(key(tp));
  }

  isPaused(tp: TopicPartition): boolean {
    return this.paused.has(key(tp)) || this.pausedTopics.has(tp.topic);
  }

  pausedPartitions(): TopicPartition[] {
    return this.assignment().filter((tp) => this.isPaused(tp));
  }

  /** Last high watermark seen for a partition (for lag), or undefined. */
  highWatermark(tp: TopicPartition): number | undefined {
    return this.highWatermarks.get(key(tp));
  }

  /** Records available now or within `timeoutMs`, in offset order per partition, at most `maxRecords`. */
  async fetch(timeoutMs: number, maxRecords: number): Promise<ConsumerRecord[]> {
    const fromBuffer = this.takeBuffered(maxRecords);
    if (fromBuffer.length > 0) return fromBuffer;
    let active = this.assignment().filter((tp) => !this.isPaused(tp));
    if (active.length === 0) {
      if (timeoutMs > 0) await new Promise((r) => setTimeout(r, Math.min(timeoutMs, 1000)));
      return [];
    }
    const unpositioned = active.filter((tp) => !this.positions.has(key(tp)));
    if (unpositioned.length > 0) {
      await this.applyReset(unpositioned);
      // The assignment may have changed during that wait: fetch only what is still held and positioned.
      active = this.assignment().filter((tp) => !this.isPaused(tp) && this.positions.has(key(tp)));
      if (active.length === 0) return [];
    }
    this.instrumentation.emit('consumer.fetch_start', {});
    const startedMs = Date.now();
    const reply = await call<FetchReply>(this.transport, 'fetch', {
      action: 'fetch',
      partitions: active.map((tp) => ({ ...tp, offset: this.positions.get(key(tp))!, maxBytes: this.config.maxPartitionFetchBytes })),
      maxBytes: this.config.fetchMaxBytes,
      maxWaitMs: Math.min(timeoutMs, this.config.fetchMaxWaitMs),
      minBytes: this.config.fetchMinBytes,
    });
    const reset: TopicPartition[] = [];
    let numberOfBatches = 0;
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
      numberOfBatches += await this.bufferRecords(p.topic, p.partition, p.records);
    }
    this.instrumentation.emit('consumer.fetch', { numberOfBatches, duration: Date.now() - startedMs });
    if (reset.length > 0) await this.applyReset(reset);
    return this.takeBuffered(maxRecords);
  }

  /** Each partition's offset at `timestamp` (or the earliest/latest special timestamps). */
  async listOffsets(partitions: readonly TopicPartition[], timestamp: number): Promise<readonly ListedOffset[]> {
    return this.listOffsetsAt(partitions.map((tp) => ({ topic: tp.topic, partition: tp.partition, timestamp })));
  }

  /** Each partition's offset at its own timestamp. */
  async listOffsetsAt(requests: readonly (TopicPartition & { timestamp: number })[]): Promise<readonly ListedOffset[]> {
    if (requests.length === 0) return [];
    const reply = await call<ListOffsetsReply>(this.transport, 'fetch', {
      action: 'listOffsets',
      partitions: requests.map((r) => ({ topic: r.topic, partition: r.partition, timestamp: r.timestamp })),
    });
    return reply.partitions;
  }

  /** Positions these partitions at their offset for `timestamp`; past the last record's time, at the log end. Returns the offsets taken. */
  async seekToTimestamp(partitions: readonly TopicPartition[], timestamp: number): Promise<Map<string, number>> {
    partitions.forEach((tp) => this.requireAssigned(tp));
    const listed = await this.listOffsets(partitions, timestamp);
    const missing = listed.filter((p) => p.offset < 0);
    const ends = new Map((await this.listOffsets(missing, LATEST_TIMESTAMP)).map((p) => [key(p), p.offset]));
    const taken = new Map<string, number>();
    for (const p of listed) {
      if (!this.holds(p)) continue;
      const offset = p.offset >= 0 ? p.offset : ends.get(key(p))!;
      this.seek(p, offset);
      taken.set(key(p), offset);
    }
    return taken;
  }

  private async bufferRecords(topic: string, partition: number, records: string): Promise<number> {
    const k = key({ topic, partition });
    const from = this.positions.get(k)!;
    const batches = await decodeRecordBatches(Buffer.from(records, 'base64'));
    let next = from;
    for (const batch of batches) {
      if (!batch.isControl) {
        for (const r of batch.records) {
          if (r.offset >= from) this.buffered.push({ topic, partition, offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers });
        }
      }
      next = Math.max(next, batch.baseOffset + batch.lastOffsetDelta + 1);
    }
    this.positions.set(k, next);
    return batches.length;
  }

  private takeBuffered(maxRecords: number): ConsumerRecord[] {
    const out = this.buffered.slice(0, Math.min(maxRecords, this.config.maxPollRecords));
    this.buffered = this.buffered.slice(out.length);
    return out;
  }

  /** kafkajs's `{ topic, partitions? }` and the `{ topic, partition }` shape, as held partitions. */
  private expand(partitions: readonly (TopicPartition | TopicPartitions)[], pausing: boolean): TopicPartition[] {
    const out: TopicPartition[] = [];
    for (const p of partitions) {
      if ('partition' in p) out.push({ topic: p.topic, partition: p.partition });
      else if (p.partitions !== undefined) out.push(...p.partitions.map((partition) => ({ topic: p.topic, partition })));
      else {
        if (pausing) this.pausedTopics.add(p.topic);
        out.push(...this.assignment().filter((tp) => tp.topic === p.topic));
      }
    }
    return out;
  }

  private async applyReset(partitions: readonly TopicPartition[]): Promise<void> {
    if (this.config.autoOffsetReset === 'none') {
      const tp = partitions[0]!;
      throw new KafkalessError('OffsetOutOfRange', `No valid position for partition ${tp.partition} of '${tp.topic}' and auto.offset.reset is none; seek to an offset first`, {
        context: { topic: tp.topic, partition: tp.partition },
      });
    }
    await this.seekTo(partitions, this.config.autoOffsetReset === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP);
  }

  /** Positions these partitions at the earliest or latest offset; returns the offsets taken. */
  async seekTo(partitions: readonly TopicPartition[], timestamp: typeof EARLIEST_TIMESTAMP | typeof LATEST_TIMESTAMP): Promise<Map<string, number>> {
    partitions.forEach((tp) => this.requireAssigned(tp));
    const taken = new Map<string, number>();
    for (const p of await this.listOffsets(partitions, timestamp)) {
      if (!this.holds(p)) continue;
      this.seek(p, p.offset);
      taken.set(key(p), p.offset);
    }
    return taken;
  }
}
