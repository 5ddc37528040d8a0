/**
 * The producer, kafkajs-style: `send({ topic, messages })` resolves to one
 * RecordMetadata per message once its batch is committed. Records are
 * batched per partition (linger.ms, batch.size), at most five requests are
 * in flight per partition with order kept, retriable failures are retried,
 * and buffered bytes are bounded by buffer.memory.
 */
import { KafkalessError } from '../../errors.js';
import { RECORD_BATCH_OVERHEAD, recordSizeBytes, type CompressionType } from '../../log/index.js';
import { MAX_REQUEST_SIZE_BYTES } from '../../limits.js';
import type { InitProducerIdReply } from '../../protocol/log-replies.js';
import { topicPartitionKey } from '../../protocol/topic-partition-key.js';
import { TopicMetadata, type TopicFacts } from '../metadata.js';
import { partitioners, type Partitioner, type StickyPartitioner } from '../partitioners/index.js';
import type { Transport } from '../transport.js';
import { ProducerBatch } from './batch.js';
import { produceCall } from './produce-call.js';
import { BufferPool } from './buffer-pool.js';
import { resolveProducerConfig, type Acks, type ProducerConfig, type ResolvedProducerConfig } from './config.js';
import { toRecord, type Message, type RecordMetadata } from './message.js';
import { Sender, type ProducerSession } from './sender.js';
import type { CommittedBatchRange } from '../../protocol/txn-replies.js';
import { Transaction } from './transaction.js';
import { resolveTransactionConfig, type TransactionalProducerConfig } from './transaction-config.js';
import { TransactionManager, type OffsetsToSend } from './transaction-manager.js';

export interface SendOptions {
  readonly topic: string;
  readonly messages: readonly Message[];
  readonly acks?: Acks;
  readonly compression?: CompressionType;
}

export interface SendBatchOptions {
  readonly topicMessages: readonly { topic: string; messages: readonly Message[] }[];
  readonly acks?: Acks;
  readonly compression?: CompressionType;
}

/**
 * The most a record's offset and timestamp deltas (and its longer length
 * prefix) add inside a batch beyond recordSizeBytes(record, 0, 0).
 */
const MAX_RECORD_DELTA_BYTES = 10;

export class Producer {
  readonly config: ResolvedProducerConfig;
  private readonly metadata: TopicMetadata;
  private readonly partitioner: Partitioner;
  private readonly pool: BufferPool;
  private readonly sender: Sender;
  private readonly open = new Map<string, ProducerBatch>();
  private readonly lingerTimers = new Map<string, NodeJS.Timeout>();
  private sessionPromise: Promise<ProducerSession> | undefined;
  private appendQueue: Promise<void> = Promise.resolve();
  private closed = false;
  /** Present when the producer has a transactional.id. */
  private readonly txn: TransactionManager | undefined;

  constructor(
    private readonly transport: Transport,
    config: ProducerConfig | TransactionalProducerConfig = {},
  ) {
    this.config = resolveProducerConfig(config);
    const txnConfig = resolveTransactionConfig(config, this.config);
    this.metadata = new TopicMetadata(transport, 'produce', this.config.metadataMaxAgeMs);
    const p = this.config.partitioner;
    this.partitioner = typeof p === 'function' ? p : partitioners[p](this.config.random);
    this.pool = new BufferPool(this.config.bufferMemoryBytes, this.config.maxBlockMs);
    this.txn =
      txnConfig === undefined
        ? undefined
        : new TransactionManager(transport, txnConfig, this.config, { flush: () => this.flush(), resetSequences: () => this.sender.resetSequences() });
    const txn = this.txn;
    this.sender = new Sender(
      transport,
      this.config,
      () => (txn !== undefined ? Promise.resolve(txn.session()) : this.config.idempotent ? this.session() : Promise.resolve(undefined)),
      (batch) => this.pool.release(batch.sizeBytes),
      () => (txn !== undefined && txn.sendsInTransaction() ? { transaction: txn.ref() } : {}),
    );
  }

  /** kafkajs: initializes transactions on first use, begins one, and hands back its handle. */
  async transaction(): Promise<Transaction> {
    const txn = this.requireTransactional();
    if (txn.state === 'UNINITIALIZED') await txn.initTransactions();
    txn.beginTransaction();
    return new Transaction(this, txn);
  }

  /** Java: registers this instance as the transactional id's owner, fencing older ones and finishing what they left. */
  async initTransactions(): Promise<void> {
    await this.requireTransactional().initTransactions();
  }

  beginTransaction(): void {
    this.requireTransactional().beginTransaction();
  }

  sendOffsetsToTransaction(offsets: OffsetsToSend): Promise<void> {
    return this.requireTransactional().sendOffsets(offsets);
  }

  /** Commits the transaction; resolves with the offsets its records took. */
  commitTransaction(): Promise<CommittedBatchRange[]> {
    return this.requireTransactional().commit();
  }

  abortTransaction(): Promise<void> {
    return this.requireTransactional().abort();
  }

  private requireTransactional(): TransactionManager {
    if (this.txn === undefined) throw new KafkalessError('InvalidTxnState', 'This producer has no transactional.id; configure one to use transactions');
    return this.txn;
  }

  /** Starts the producer session (an idempotent producer's id); optional, send does it on demand. */
  async connect(): Promise<void> {
    if (this.config.idempotent && this.txn === undefined) await this.session();
  }

  async send(options: SendOptions): Promise<RecordMetadata[]> {
    return this.sendBatch({ topicMessages: [{ topic: options.topic, messages: options.messages }], ...pick(options) });
  }

  async sendBatch(options: SendBatchOptions): Promise<RecordMetadata[]> {
    if (this.closed) throw new KafkalessError('InvalidRequest', 'The producer is disconnected; create a new one');
    this.txn?.requireInTransaction();
    // Appends run one send at a time, so records enter their partitions in the order send was called.
    const appended = this.appendQueue.then(() => this.appendAll(options));
    this.appendQueue = appended.then(
      () => undefined,
      () => undefined,
    );
    return Promise.all(await appended);
  }

  private async appendAll(options: SendBatchOptions): Promise<Promise<RecordMetadata>[]> {
    const acks = options.acks === undefined ? this.config.acks : options.acks === 'all' ? -1 : options.acks;
    const compression = options.compression ?? this.config.compression;
    const pending: Promise<RecordMetadata>[] = [];
    for (const { topic, messages } of options.topicMessages) {
      const facts = await this.metadata.topic(topic);
      for (const message of messages) pending.push((await this.append(topic, facts, message, acks, compression)).result);
    }
    return pending;
  }

  /** Sends everything buffered now and waits until it is acknowledged. */
  async flush(): Promise<void> {
    await this.appendQueue;
    for (const key of [...this.open.keys()]) await this.seal(key);
    await this.sender.idle();
  }

  async disconnect(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
  }

  private async append(topic: string, facts: TopicFacts, message: Message, acks: -1 | 0 | 1, compression: CompressionType): Promise<{ result: Promise<RecordMetadata> }> {
    const record = toRecord(message, Date.now());
    const sizeBytes = recordSizeBytes(record, 0, 0);
    const tooLarge = this.checkRecordSize(topic, facts, sizeBytes, compression);
    if (tooLarge !== undefined) {
      const rejected = Promise.reject(tooLarge);
      rejected.catch((err: unknown) => this.txn?.recordSendFailure(err));
      return { result: rejected };
    }
    const partition = this.partitioner({
      topic,
      partitionCount: facts.partitions,
      key: record.key,
      value: record.value,
      ...(message.partition !== undefined ? { explicitPartition: message.partition } : {}),
    });
    await this.pool.reserve(sizeBytes);
    const key = topicPartitionKey(topic, partition);
    let batch = this.open.get(key);
    if (batch !== undefined && (batch.acks !== acks || batch.compression !== compression || !this.fits(batch, sizeBytes, facts))) {
      await this.seal(key);
      batch = undefined;
    }
    if (batch === undefined) {
      batch = new ProducerBatch(topic, partition, acks, compression, Date.now());
      batch.transactional = this.txn !== undefined;
      this.open.set(key, batch);
      this.lingerTimers.set(key, setTimeout(() => void this.seal(key), this.config.lingerMs));
    }
    const txn = this.txn;
    const offsetAtCommit = txn?.offsetAtCommit(topic, partition);
    const result = new Promise<RecordMetadata>((resolve, reject) => batch.add({ record, sizeBytes, resolve, reject, ...(offsetAtCommit !== undefined ? { offsetAtCommit } : {}) }));
    result.catch((err: unknown) => txn?.recordSendFailure(err));
    if (batch.sizeBytes >= this.config.batchSizeBytes) await this.seal(key);
    return { result };
  }

  /**
   * A record too large to send, as Kafka's producer judges it before
   * sending: over max.request.size, or (uncompressed) over the topic's
   * max.message.bytes. Compressed, the broker judges the compressed batch.
   */
  private checkRecordSize(topic: string, facts: TopicFacts, sizeBytes: number, compression: CompressionType): KafkalessError | undefined {
    const asBatchBytes = sizeBytes + RECORD_BATCH_OVERHEAD;
    const context = { context: { topic } };
    if (asBatchBytes > this.config.maxRequestSizeBytes) {
      return new KafkalessError(
        'RecordTooLarge',
        `The record is ${asBatchBytes} bytes when serialized, larger than max.request.size (${this.config.maxRequestSizeBytes}). Send a smaller record, or raise max.request.size (at most ${MAX_REQUEST_SIZE_BYTES}).`,
        context,
      );
    }
    if (compression === 'none' && asBatchBytes > facts.maxMessageBytes) {
      return new KafkalessError(
        'RecordTooLarge',
        `The record is ${asBatchBytes} bytes as a batch, larger than topic '${topic}''s max.message.bytes (${facts.maxMessageBytes}). Send a smaller record (or compress it), or raise the topic's max.message.bytes.`,
        context,
      );
    }
    return undefined;
  }

  /** Whether a record of `sizeBytes` joins `batch` within batch.size, max.request.size and (uncompressed) the topic's max.message.bytes. */
  private fits(batch: ProducerBatch, sizeBytes: number, facts: TopicFacts): boolean {
    if (batch.sizeBytes + sizeBytes > this.config.batchSizeBytes) return false;
    const encodedBytes = RECORD_BATCH_OVERHEAD + batch.sizeBytes + sizeBytes + MAX_RECORD_DELTA_BYTES * (batch.records.length + 1);
    const limit = batch.compression === 'none' ? Math.min(this.config.maxRequestSizeBytes, facts.maxMessageBytes) : this.config.maxRequestSizeBytes;
    return encodedBytes <= limit;
  }

  private async seal(key: string): Promise<void> {
    const batch = this.open.get(key);
    clearTimeout(this.lingerTimers.get(key));
    this.lingerTimers.delete(key);
    if (batch === undefined) return;
    this.open.delete(key);
    const sticky = this.partitioner as Partial<StickyPartitioner>;
    sticky.onNewBatch?.(batch.topic);
    try {
      await this.sender.enqueue(batch);
    } catch (err) {
      batch.fail(err instanceof Error ? err : new Error(String(err)));
      this.pool.release(batch.sizeBytes);
    }
  }

  private session(): Promise<ProducerSession> {
    this.sessionPromise ??= produceCall<InitProducerIdReply>(this.transport, { action: 'initProducerId' }, this.config).catch((err: unknown) => {
      this.sessionPromise = undefined;
      throw err;
    });
    return this.sessionPromise;
  }
}

function pick(o: { acks?: Acks; compression?: CompressionType }): { acks?: Acks; compression?: CompressionType } {
  return { ...(o.acks !== undefined ? { acks: o.acks } : {}), ...(o.compression !== undefined ? { compression: o.compression } : {}) };
}
