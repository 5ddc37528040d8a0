/** A producer batch: records for one partition, sealed, sequenced, sent and retried as one. */
import { encodeRecordBatch, incrementSequence, type CompressionType, type RecordInput } from '../../log/index.js';
import type { RecordMetadata } from './message.js';

export interface PendingRecord {
  readonly record: RecordInput;
  readonly sizeBytes: number;
  readonly resolve: (meta: RecordMetadata) => void;
  readonly reject: (err: Error) => void;
  /** In a transaction: the offset the record takes when it commits. */
  readonly offsetAtCommit?: Promise<number>;
}

export type BatchState = 'open' | 'ready' | 'inflight' | 'done';

export class ProducerBatch {
  readonly records: PendingRecord[] = [];
  sizeBytes = 0;
  state: BatchState = 'open';
  /** -1 when not idempotent. */
  baseSequence = -1;
  producerId = -1;
  producerEpoch = -1;
  attempts = 0;
  retryAtMs = 0;
  /** Sent within a transaction: the batch carries Kafka's transactional attribute. */
  transactional = false;
  private encoded: Buffer | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly acks: -1 | 0 | 1,
    readonly compression: CompressionType,
    readonly createdAtMs: number,
  ) {}

  add(record: PendingRecord): void {
    this.records.push(record);
    this.sizeBytes += record.sizeBytes;
    this.encoded = undefined;
  }

  get lastSequence(): number {
    return this.baseSequence < 0 ? -1 : incrementSequence(this.baseSequence, this.records.length - 1);
  }

  /** Gives the batch its producer session and sequence (again, when renumbered). */
  sequence(producerId: number, producerEpoch: number, baseSequence: number): void {
    this.producerId = producerId;
    this.producerEpoch = producerEpoch;
    this.baseSequence = baseSequence;
    this.encoded = undefined;
  }

  async encode(): Promise<Buffer> {
    this.encoded ??= await encodeRecordBatch(
      this.records.map((r) => r.record),
      { compression: this.compression, producerId: this.producerId, producerEpoch: this.producerEpoch, baseSequence: this.baseSequence, isTransactional: this.transactional },
    );
    return this.encoded;
  }

  complete(baseOffset: number, logAppendTime: number): void {
    this.state = 'done';
    this.records.forEach((r, i) => {
      const meta: RecordMetadata = {
        topic: this.topic,
        partition: this.partition,
        offset: baseOffset < 0 ? -1 : baseOffset + i,
        timestamp: logAppendTime >= 0 ? logAppendTime : r.record.timestamp,
      };
      if (r.offsetAtCommit === undefined) return r.resolve(meta);
      const committed = r.offsetAtCommit.then((offset) => ({ ...meta, offset }));
      committed.catch(() => undefined);
      r.resolve({ ...meta, committed });
    });
  }

  fail(err: Error): void {
    this.state = 'done';
    for (const r of this.records) r.reject(err);
  }
}
