/**
 * How a subscription's position in one partition moves: the group's
 * committed offset, with what must land before or with it (output records,
 * dead-lettered records).
 *
 * At least once: dead letters are appended (idempotent producer, awaited),
 * then the offset is committed; a crash between them appends them again.
 * An S3, SQS or SNS on-failure destination's failure record is written
 * first in both modes (none of them is in the transaction: at least once).
 *
 * Exactly once: output records, dead letters and the offset go in one
 * kafkaless transaction, through the transactional producer and
 * sendOffsetsToTransaction (as ExactlyOncePipeline), under a transactional
 * id fixed per subscription and partition. Opening it (initTransactions)
 * fences every earlier deliverer of the partition, and rolls forward or
 * back whatever transaction one left, before the committed offset is read:
 * the output of a batch is therefore appended exactly once, whatever
 * crashed, timed out or was retried.
 */
import { createHash } from 'node:crypto';
import { topicMessagesOf, type OutputMessage } from '../client/consume-transform-produce.js';
import { Producer } from '../client/producer/producer.js';
import type { Transport } from '../client/transport.js';
import type { SubscriptionSpec } from '../names.js';
import { deadLetterMessage, sendToDeadLetterTopic, type DeadLetterInfo } from './dead-letter.js';
import type { DeliveredRecord } from './msk-event.js';
import { commitOffset, type TopicPartitionRef } from './partition-log.js';
import type { TriggerDeps } from './deps.js';
import { failureRecord } from './failure-record.js';
import { failureDestination, sendFailureMessage } from './message-destination.js';
import { failureObject, putFailureObject } from './s3-destination.js';

export interface DeadLetters {
  readonly records: readonly DeliveredRecord[];
  readonly info: DeadLetterInfo;
}

export interface CommitWork {
  /** Only with exactlyOnce. */
  readonly output?: readonly OutputMessage[];
  /** Appended to the on-failure topic (without one, the caller has logged and dropped them). */
  readonly deadLetters?: DeadLetters;
}

export interface PartitionProgress {
  /** Before the committed offset is read. */
  open(): Promise<void>;
  /** The position delivery starts at; `committed` false when the group had none for the partition. */
  started(offset: number, committed: boolean): Promise<void>;
  /** Moves the committed offset to `next`, with the work that goes with it. */
  commit(next: number, work?: CommitWork): Promise<void>;
  close(): Promise<void>;
}

const TRANSACTIONAL_ID_CHARS = 255;

/** The transactional id of a subscription's partition: the same for every invocation that delivers it. */
export function subscriptionTransactionalId(subscription: string, tp: TopicPartitionRef): string {
  const plain = `kafkaless-sub-${subscription}-${tp.topic}-${tp.partition}`;
  if (plain.length <= TRANSACTIONAL_ID_CHARS) return plain;
  return `kafkaless-sub-${createHash('sha256').update(JSON.stringify([subscription, tp.topic, tp.partition])).digest('hex')}`;
}

export function partitionProgress(deps: TriggerDeps, spec: SubscriptionSpec, tp: TopicPartitionRef): PartitionProgress {
  return spec.exactlyOnce === true ? new TransactionalProgress(deps, spec, tp) : new AtLeastOnceProgress(deps, spec, tp);
}

/**
 * An S3, SQS or SNS on-failure destination's failure record, written before the offset moves (outside any
 * transaction: at least once). A topic destination's records go with the offset instead.
 */
async function writeFailureRecord(deps: TriggerDeps, spec: SubscriptionSpec, deadLetters: DeadLetters | undefined): Promise<void> {
  const destination = failureDestination(spec);
  if (destination === undefined || destination.kind === 'topic' || deadLetters === undefined || deadLetters.records.length === 0) return;
  if (destination.kind === 'bucket') {
    if (deps.s3 === undefined) throw new Error(`Subscription '${spec.name}' has an S3 on-failure destination, but the trigger has no S3 client`);
    await putFailureObject(deps.s3, destination.bucket, failureObject(deps.source, spec.functionName, deadLetters.records, deadLetters.info, deps.now()));
    return;
  }
  const record = failureRecord(deps.source, spec.functionName, deadLetters.records, deadLetters.info, deps.now(), { payload: false });
  await sendFailureMessage(deps, destination, JSON.stringify(record));
}

class AtLeastOnceProgress implements PartitionProgress {
  private readonly broker: Transport;

  constructor(
    private readonly deps: TriggerDeps,
    private readonly spec: SubscriptionSpec,
    private readonly tp: TopicPartitionRef,
  ) {
    this.broker = deps.broker;
  }

  async open(): Promise<void> {}

  async started(): Promise<void> {}

  async commit(next: number, work: CommitWork = {}): Promise<void> {
    if (work.deadLetters !== undefined && this.spec.onFailureTopic !== undefined) {
      await sendToDeadLetterTopic(this.broker, this.spec.onFailureTopic, work.deadLetters.records, work.deadLetters.info);
    }
    await writeFailureRecord(this.deps, this.spec, work.deadLetters);
    await commitOffset(this.broker, this.spec.groupId, this.tp, next);
  }

  async close(): Promise<void> {}
}

class TransactionalProgress implements PartitionProgress {
  private readonly producer: Producer;
  private readonly broker: Transport;

  constructor(
    private readonly deps: TriggerDeps,
    private readonly spec: SubscriptionSpec,
    private readonly tp: TopicPartitionRef,
  ) {
    this.broker = deps.broker;
    this.producer = new Producer(deps.broker, { 'transactional.id': subscriptionTransactionalId(spec.name, tp), 'linger.ms': 0 });
  }

  async open(): Promise<void> {
    await this.producer.initTransactions();
  }

  /** sendOffsets needs the group to exist: a partition never committed gets its start position committed first, outside any transaction. */
  async started(offset: number, committed: boolean): Promise<void> {
    if (!committed) await commitOffset(this.broker, this.spec.groupId, this.tp, offset);
  }

  async commit(next: number, work: CommitWork = {}): Promise<void> {
    const outputs: OutputMessage[] = [...(work.output ?? [])];
    const topic = this.spec.onFailureTopic;
    if (work.deadLetters !== undefined && topic !== undefined) outputs.push(...work.deadLetters.records.map((r) => ({ ...deadLetterMessage(r, work.deadLetters!.info), topic })));
    await writeFailureRecord(this.deps, this.spec, work.deadLetters);
    this.producer.beginTransaction();
    try {
      const topicMessages = topicMessagesOf(outputs);
      if (topicMessages.length > 0) await this.producer.sendBatch({ topicMessages });
      await this.producer.sendOffsetsToTransaction({ consumerGroupId: this.spec.groupId, topics: [{ topic: this.tp.topic, partitions: [{ partition: this.tp.partition, offset: next }] }] });
      await this.producer.commitTransaction();
    } catch (err) {
      // Nothing of it is visible; a fenced or crashed producer's abort fails too, and the next deliverer's initTransactions finishes it.
      await this.producer.abortTransaction().catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}
