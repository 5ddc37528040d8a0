/**
 * Exactly-once consume-transform-produce, as Kafka Streams does it with
 * transactions: each round polls the input, transforms the records, sends
 * the output and the input's next offsets in one transaction, and commits.
 * Output and progress become visible together or not at all, so after any
 * crash a new instance (same transactional.id, same group) resumes at the
 * committed offsets and the output holds each input's results exactly once.
 *
 *   const pipeline = new ExactlyOncePipeline({ kafkaless, consumer, producer,
 *     transform: (r) => [{ topic: 'out', key: r.key, value: upper(r.value) }] });
 *   await pipeline.run();
 *
 * The consumer is a group consumer (enable.auto.commit false; its member id
 * and epoch go with the offsets, so a member that lost its partitions cannot
 * commit) or a plain consumer with assigned partitions and a `groupId`.
 */
import { committedOffsetsOf } from './admin-groups.js';
import { KafkalessError } from '../errors.js';
import type { Kafkaless } from './kafkaless.js';
import { CallbackError, type ConsumeLoop } from './consumer/consume-loop.js';
import type { Consumer, ConsumerRecord, TopicPartition } from './consumer/consumer.js';
import { GroupConsumer } from './consumer/group-consumer.js';
import { tpKey as key } from './consumer/records.js';
import type { Message } from './producer/message.js';
import type { Producer } from './producer/producer.js';

export interface OutputMessage extends Message {
  readonly topic: string;
}

export interface ExactlyOnceOptions {
  readonly kafkaless: Kafkaless;
  readonly consumer: Consumer | GroupConsumer;
  /** A producer with transactional.id. */
  readonly producer: Producer;
  /** The group whose offsets are committed; a group consumer's own group by default. */
  readonly groupId?: string;
  readonly transform: (record: ConsumerRecord) => readonly OutputMessage[] | Promise<readonly OutputMessage[]>;
  readonly pollTimeoutMs?: number;
}

export class ExactlyOncePipeline {
  readonly groupId: string;
  private started = false;
  private loop: ConsumeLoop | undefined;

  constructor(private readonly options: ExactlyOnceOptions) {
    const { consumer } = options;
    if (consumer instanceof GroupConsumer && consumer.groupConfig.autoCommit) {
      throw new KafkalessError('InvalidConfig', 'An exactly-once pipeline commits offsets in its transactions: give it a consumer with enable.auto.commit false');
    }
    const groupId = options.groupId ?? (consumer instanceof GroupConsumer ? consumer.groupConfig.groupId : undefined);
    if (groupId === undefined) throw new KafkalessError('InvalidConfig', 'A plain consumer needs the groupId whose offsets the pipeline commits');
    this.groupId = groupId;
  }

  /** Takes over the transactional id (fencing older instances) and, for a plain consumer, resumes at the committed offsets. */
  async start(): Promise<void> {
    if (this.started) return;
    await this.options.producer.initTransactions();
    const { consumer } = this.options;
    if (!(consumer instanceof GroupConsumer)) await this.seekToCommitted(consumer.assignment());
    this.started = true;
  }

  /** One round: poll, transform, send and commit in one transaction. Resolves with the records processed. */
  async processOnce(): Promise<number> {
    try {
      return await this.processRound();
    } catch (err) {
      throw err instanceof CallbackError ? err.error : err;
    }
  }

  /** As processOnce; an error of the transform comes out as a CallbackError. */
  private async processRound(): Promise<number> {
    await this.start();
    const records = await this.options.consumer.poll({ timeoutMs: this.options.pollTimeoutMs ?? 200 });
    if (records.length === 0) return 0;
    const { producer } = this.options;
    producer.beginTransaction();
    try {
      const outputs = await this.transformAll(records).catch((err: unknown) => {
        throw new CallbackError(err);
      });
      const topicMessages = topicMessagesOf(outputs);
      if (topicMessages.length > 0) await producer.sendBatch({ topicMessages });
      await producer.sendOffsetsToTransaction({ consumerGroupId: this.groupId, topics: nextOffsets(records), ...this.member() });
      await producer.commitTransaction();
      return records.length;
    } catch (err) {
      await producer.abortTransaction().catch(() => undefined);
      this.rewind(records);
      throw err;
    }
  }

  /**
   * Processes rounds until `stop()`, on the consumer's consume loop: a round
   * that failed retriably (or whose transform threw) is aborted and retried
   * from its first record after a backoff (`consumer.retry`); a fatal error
   * (the producer fenced, a missing function) stops the loop with
   * `consumer.crash` on the consumer. Resolves once started; rejects if the
   * start (initTransactions) failed fatally.
   */
  run(options: { onError?: (err: unknown) => void } = {}): Promise<void> {
    if (this.loop?.running === true) return Promise.resolve();
    this.loop = this.options.consumer.newLoop(options, {
      groupId: this.groupId,
      isRecoverable: (err) => err instanceof KafkalessError && err.code === 'TransactionAbortable',
    });
    return this.loop.start({
      prepare: () => this.start(),
      round: async () => void (await this.processRound()),
    });
  }

  /** Ends run() after the current round; never rejects. */
  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  private async transformAll(records: readonly ConsumerRecord[]): Promise<OutputMessage[]> {
    const out: OutputMessage[] = [];
    for (const r of records) out.push(...(await this.options.transform(r)));
    return out;
  }

  private member(): { memberId?: string; memberEpoch?: number } {
    const { consumer } = this.options;
    return consumer instanceof GroupConsumer ? { memberId: consumer.memberId, memberEpoch: consumer.memberEpoch } : {};
  }

  /** After an abort: fetch the round's records again. */
  private rewind(records: readonly ConsumerRecord[]): void {
    const first = new Map<string, ConsumerRecord>();
    for (const r of records) if (!first.has(key(r))) first.set(key(r), r);
    const held = new Set(this.options.consumer.assignment().map(key));
    for (const r of first.values()) if (held.has(key(r))) this.options.consumer.seek({ topic: r.topic, partition: r.partition, offset: r.offset });
  }

  private async seekToCommitted(partitions: readonly TopicPartition[]): Promise<void> {
    const topics = [...new Set(partitions.map((tp) => tp.topic))];
    if (topics.length === 0) return;
    const committed = committedOffsetsOf(await this.options.kafkaless.admin().fetchOffsets({ groupId: this.groupId, topics }));
    const byKey = new Map(committed.map((o) => [key(o), o.offset]));
    for (const tp of partitions) {
      const offset = byKey.get(key(tp));
      if (offset !== undefined) this.options.consumer.seek({ ...tp, offset });
    }
  }
}

/** Output messages grouped by topic, in order, as sendBatch takes them. */
export function topicMessagesOf(outputs: readonly OutputMessage[]): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, ...message } of outputs) {
    const messages = byTopic.get(topic) ?? [];
    messages.push(message);
    byTopic.set(topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** The offsets to commit: after the last record of each partition. */
export function nextOffsets(records: readonly ConsumerRecord[]): { topic: string; partitions: { partition: number; offset: number }[] }[] {
  const last = new Map<string, ConsumerRecord>();
  for (const r of records) last.set(key(r), r);
  const byTopic = new Map<string, { partition: number; offset: number }[]>();
  for (const r of last.values()) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), { partition: r.partition, offset: r.offset + 1 }]);
  return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
}
