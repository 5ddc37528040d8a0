/**
 * The plain consumer: assign partitions by hand, seek, poll, or run a
 * kafkajs-style loop (`run({ eachMessage })` / `run({ eachBatch })`).
 * Built from the shared parts in consumer-core.ts; it commits nothing
 * itself (an exactly-once pipeline commits for it).
 */
import type { Transport } from '../transport.js';
import type { ConsumerConfig } from './config.js';
import { ConsumerCore, type PollOptions } from './consumer-core.js';
import type { ConsumeLoopOptions, LoopWork } from './consume-loop.js';
import type { ConsumerRecord, RunOptions, TopicPartition } from './records.js';

export * from './records.js';
export type { PollOptions, PartitionOffset, OffsetForTime } from './consumer-core.js';

export class Consumer extends ConsumerCore {
  constructor(transport: Transport, config: ConsumerConfig = {}) {
    super(transport, config);
  }

  /** Takes these partitions (replacing any earlier assignment). */
  assign(partitions: readonly TopicPartition[]): void {
    this.fetcher.assign(partitions);
  }

  /** Records available now or within `timeoutMs`, in offset order per partition, at most max.poll.records (and `maxRecords`). */
  async poll(options: PollOptions = {}): Promise<ConsumerRecord[]> {
    return this.fetcher.fetch(options.timeoutMs ?? 0, options.maxRecords ?? Infinity);
  }

  async disconnect(): Promise<void> {
    await this.stop();
    this.instrumentation.emit('consumer.disconnect', {});
  }

  protected loopOptions(): Partial<ConsumeLoopOptions> {
    return {};
  }

  protected runWork(options: RunOptions): LoopWork {
    return { round: () => this.runRound(options) };
  }
}
