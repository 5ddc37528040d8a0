/**
 * The client side of a transactional producer, as Kafka's
 * TransactionManager: its states, the checks Kafka makes client-side
 * (send before begin, begin twice, commit twice: InvalidTxnState), and the
 * calls to the produce function's transaction actions. A send failure
 * makes the transaction abortable (only abort is allowed then); being
 * fenced by a newer instance is fatal. Each staged record's final offset
 * is promised here and settled when the transaction ends.
 */
import { KafkalessError } from '../../errors.js';
import { topicPartitionKey } from '../../protocol/topic-partition-key.js';
import type { TransactionRef } from '../../protocol/txn-requests.js';
import type { CommittedBatchRange, EndTxnReply, InitTransactionsReply, TxnOffsetsReply } from '../../protocol/txn-replies.js';
import type { Transport } from '../transport.js';
import type { ResolvedProducerConfig } from './config.js';
import { isRetriableFailure, produceCall } from './produce-call.js';
import type { ProducerSession } from './sender.js';
import type { ResolvedTransactionConfig } from './transaction-config.js';
import { MAX_TXN_OFFSETS } from '../../limits.js';

export type TransactionState = 'UNINITIALIZED' | 'READY' | 'IN_TRANSACTION' | 'COMMITTING' | 'ABORTING' | 'ABORTABLE_ERROR' | 'FATAL_ERROR';

export interface OffsetsToSend {
  readonly consumerGroupId: string;
  readonly topics: readonly { readonly topic: string; readonly partitions: readonly { readonly partition: number; readonly offset: number | string; readonly metadata?: string }[] }[];
  /** The consumer's member id and epoch, so the commit is refused if it lost its partitions meanwhile. */
  readonly memberId?: string;
  readonly memberEpoch?: number;
}

export interface TransactionHooks {
  /** Sends everything buffered and waits until every send settled. */
  flush(): Promise<void>;
  /** Sequences restart at 0 in each transaction. */
  resetSequences(): void;
}

const FATAL_CODES = new Set(['ProducerFenced', 'InvalidProducerEpoch', 'InvalidProducerIdMapping', 'TransactionalIdAuthorizationFailed']);

interface OffsetWaiter {
  readonly resolve: (offset: number) => void;
  readonly reject: (err: Error) => void;
}

export class TransactionManager {
  state: TransactionState = 'UNINITIALIZED';
  private producerId = -1;
  private producerEpoch = -1;
  private txnSeq = 0;
  private failure: Error | undefined;
  /** Per partition, in staging order: the records of this transaction waiting for their offsets. */
  private readonly offsetWaiters = new Map<string, OffsetWaiter[]>();

  constructor(
    private readonly transport: Transport,
    readonly config: ResolvedTransactionConfig,
    private readonly producer: ResolvedProducerConfig,
    private readonly hooks: TransactionHooks,
  ) {}

  get transactionalId(): string {
    return this.config.transactionalId;
  }

  async initTransactions(): Promise<void> {
    this.requireNotFatal();
    if (this.state !== 'UNINITIALIZED') throw this.invalid(`initTransactions was already called (state ${this.state})`);
    const reply = await this.call<InitTransactionsReply>({
      action: 'initTransactions',
      transactionalId: this.config.transactionalId,
      transactionTimeoutMs: this.config.transactionTimeoutMs,
    });
    this.producerId = reply.producerId;
    this.producerEpoch = reply.producerEpoch;
    this.txnSeq = reply.txnSeq;
    this.state = 'READY';
  }

  beginTransaction(): void {
    this.requireNotFatal();
    if (this.state === 'UNINITIALIZED') throw this.invalid('Call initTransactions before beginTransaction');
    if (this.state !== 'READY') throw this.invalid(`A transaction is already in progress (state ${this.state}); commit or abort it first`);
    this.hooks.resetSequences();
    this.failure = undefined;
    this.state = 'IN_TRANSACTION';
  }

  /** Records may be sent only inside a transaction. */
  requireInTransaction(): void {
    this.requireNotFatal();
    if (this.state === 'ABORTABLE_ERROR') throw this.abortable();
    if (this.state !== 'IN_TRANSACTION') throw this.invalid(`Cannot send outside a transaction (state ${this.state}); call beginTransaction first`);
  }

  isActive(): boolean {
    return this.state === 'IN_TRANSACTION' || this.state === 'ABORTABLE_ERROR';
  }

  /** Whether produce requests belong to a transaction now (while committing or aborting too: flushing sends the last batches). */
  sendsInTransaction(): boolean {
    return this.state !== 'UNINITIALIZED' && this.state !== 'READY' && this.state !== 'FATAL_ERROR';
  }

  /** The producer id and epoch batches are stamped with. */
  session(): ProducerSession {
    if (this.producerId < 0) throw this.invalid('Call initTransactions first');
    return { producerId: this.producerId, producerEpoch: this.producerEpoch };
  }

  /** The transaction a produce request belongs to. */
  ref(): TransactionRef {
    return { transactionalId: this.config.transactionalId, producerId: this.producerId, producerEpoch: this.producerEpoch, txnSeq: this.txnSeq };
  }

  /** A send of this transaction failed: the transaction can only be aborted now (or the producer is fenced). */
  recordSendFailure(err: unknown): void {
    if (this.noteFatal(err)) return;
    if (this.state === 'IN_TRANSACTION' || this.state === 'COMMITTING') {
      this.failure = err instanceof Error ? err : new Error(String(err));
      this.state = 'ABORTABLE_ERROR';
    }
  }

  /**
   * The offset a record appended now to `topic`-`partition` takes when the
   * transaction commits; rejects if the transaction aborts or the producer
   * is fenced. (Records of a partition take consecutive offsets in the
   * order they were appended.)
   */
  offsetAtCommit(topic: string, partition: number): Promise<number> {
    const key = topicPartitionKey(topic, partition);
    const waiters = this.offsetWaiters.get(key) ?? [];
    this.offsetWaiters.set(key, waiters);
    const offset = new Promise<number>((resolve, reject) => waiters.push({ resolve, reject }));
    offset.catch(() => undefined);
    return offset;
  }

  private settleOffsets(ranges: readonly CommittedBatchRange[]): void {
    for (const range of ranges) {
      const waiters = this.offsetWaiters.get(topicPartitionKey(range.topic, range.partition)) ?? [];
      waiters.forEach((w, i) => {
        const offset = range.baseOffset + i;
        if (offset <= range.lastOffset) w.resolve(offset);
        else w.reject(new KafkalessError('UnknownServerError', `The commit reported ${range.lastOffset - range.baseOffset + 1} offsets for ${range.topic}-${range.partition}, fewer than the records sent`));
      });
      this.offsetWaiters.delete(topicPartitionKey(range.topic, range.partition));
    }
    this.rejectOffsets(new KafkalessError('UnknownServerError', 'The commit reported no offsets for a partition this transaction sent to'));
  }

  private rejectOffsets(err: Error): void {
    for (const waiters of this.offsetWaiters.values()) for (const w of waiters) w.reject(err);
    this.offsetWaiters.clear();
  }

  async sendOffsets(offsets: OffsetsToSend): Promise<void> {
    this.requireInTransaction();
    const flat = offsets.topics.flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, offset: Number(p.offset), ...(p.metadata !== undefined ? { metadata: p.metadata } : {}) })),
    );
    try {
      for (let i = 0; i < flat.length; i += MAX_TXN_OFFSETS) {
        await this.call<TxnOffsetsReply>({
          action: 'sendOffsets',
          transaction: this.ref(),
          groupId: offsets.consumerGroupId,
          ...(offsets.memberId !== undefined ? { memberId: offsets.memberId, memberEpoch: offsets.memberEpoch } : {}),
          offsets: flat.slice(i, i + MAX_TXN_OFFSETS),
        });
      }
    } catch (err) {
      this.recordSendFailure(err);
      throw err;
    }
  }

  /** Commits; resolves with the offsets the records took. */
  async commit(): Promise<CommittedBatchRange[]> {
    this.requireNotFatal();
    if (this.state === 'ABORTABLE_ERROR') throw this.abortable();
    if (this.state !== 'IN_TRANSACTION') throw this.invalid(`No transaction to commit (state ${this.state}); it was already committed or aborted, or never begun`);
    this.state = 'COMMITTING';
    await this.hooks.flush();
    this.requireNotFatal();
    if (this.state !== 'COMMITTING') throw this.abortable();
    try {
      const reply = await this.call<EndTxnReply>({ action: 'endTransaction', transaction: this.ref(), commit: true });
      this.settleOffsets(reply.partitions);
      this.finish(reply);
      return [...reply.partitions];
    } catch (err) {
      // A commit that could not get through (retriable) may be tried again; any other failure leaves only abort.
      if (isRetriableFailure(err)) this.state = 'IN_TRANSACTION';
      else this.recordSendFailure(err);
      throw err;
    }
  }

  async abort(): Promise<void> {
    this.requireNotFatal();
    if (this.state !== 'IN_TRANSACTION' && this.state !== 'ABORTABLE_ERROR') {
      throw this.invalid(`No transaction to abort (state ${this.state}); it was already committed or aborted, or never begun`);
    }
    const before = this.state;
    this.state = 'ABORTING';
    this.rejectOffsets(new KafkalessError('TransactionAbortable', `The transaction of '${this.config.transactionalId}' was aborted: its records were not committed`));
    await this.hooks.flush().catch(() => undefined);
    try {
      this.finish(await this.call<EndTxnReply>({ action: 'endTransaction', transaction: this.ref(), commit: false }));
    } catch (err) {
      if (!this.noteFatal(err)) this.state = before === 'IN_TRANSACTION' ? 'ABORTABLE_ERROR' : before;
      throw err;
    }
  }

  private finish(reply: EndTxnReply): void {
    this.txnSeq = reply.nextTxnSeq;
    this.failure = undefined;
    this.state = 'READY';
  }

  private async call<T>(request: object): Promise<T> {
    try {
      return await produceCall<T>(this.transport, request, this.producer);
    } catch (err) {
      this.noteFatal(err);
      throw err;
    }
  }

  private noteFatal(err: unknown): boolean {
    if (err instanceof KafkalessError && FATAL_CODES.has(err.code)) {
      this.failure = err;
      this.state = 'FATAL_ERROR';
      this.rejectOffsets(err);
      return true;
    }
    return false;
  }

  private requireNotFatal(): void {
    if (this.state === 'FATAL_ERROR') {
      const cause = this.failure;
      if (cause instanceof KafkalessError) throw new KafkalessError(cause.code, cause.message, { context: cause.context, cause });
      throw new KafkalessError('ProducerFenced', `Transactional id '${this.config.transactionalId}' was taken over by a newer producer; close this one`, { cause });
    }
  }

  private abortable(): KafkalessError {
    const cause = this.failure;
    const why = cause instanceof Error ? `: ${cause.message}` : '';
    return new KafkalessError('TransactionAbortable', `The transaction of '${this.config.transactionalId}' failed and can only be aborted${why}`, { cause });
  }

  private invalid(message: string): KafkalessError {
    return new KafkalessError('InvalidTxnState', message, { context: { transactionalId: this.config.transactionalId } });
  }
}
