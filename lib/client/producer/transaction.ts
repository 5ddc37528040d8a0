/**
 * kafkajs's transaction handle:
 *
 *   const txn = await producer.transaction();
 *   try {
 *     await txn.send({ topic, messages });
 *     await txn.sendOffsets({ consumerGroupId, topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '42' }] }] });
 *     await txn.commit();
 *   } catch (err) {
 *     await txn.abort();
 *   }
 *
 * Records sent in a transaction take offsets only when it commits: a send
 * resolves once its records are staged, with offset -1; each RecordMetadata's
 * `committed` promise resolves with the real offset after the commit (and
 * rejects if the transaction aborts), and `commit()` resolves with the
 * offsets taken.
 */
import type { CommittedBatchRange } from '../../protocol/txn-replies.js';
import type { RecordMetadata } from './message.js';
import type { SendBatchOptions, SendOptions } from './producer.js';
import type { OffsetsToSend, TransactionManager } from './transaction-manager.js';

export interface TransactionalSender {
  send(options: SendOptions): Promise<RecordMetadata[]>;
  sendBatch(options: SendBatchOptions): Promise<RecordMetadata[]>;
}

export class Transaction {
  constructor(
    private readonly producer: TransactionalSender,
    private readonly manager: TransactionManager,
  ) {}

  send(options: SendOptions): Promise<RecordMetadata[]> {
    return this.producer.send(options);
  }

  sendBatch(options: SendBatchOptions): Promise<RecordMetadata[]> {
    return this.producer.sendBatch(options);
  }

  /** Commits these consumer offsets with the transaction (Kafka's sendOffsetsToTransaction). */
  sendOffsets(offsets: OffsetsToSend): Promise<void> {
    return this.manager.sendOffsets(offsets);
  }

  commit(): Promise<CommittedBatchRange[]> {
    return this.manager.commit();
  }

  abort(): Promise<void> {
    return this.manager.abort();
  }

  isActive(): boolean {
    return this.manager.isActive();
  }
}
