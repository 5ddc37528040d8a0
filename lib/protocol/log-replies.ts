/** What the produce and fetch functions answer. */
import type { ErrorPayload } from '../errors.js';

export interface ProducedEntry {
  readonly topic: string;
  readonly partition: number;
  readonly baseOffset: number;
  /** The commit's time when the topic stamps LogAppendTime, else -1. */
  readonly logAppendTime: number;
  readonly logStartOffset: number;
  /** True when this was a retry of a batch already appended: the original offsets are given. */
  readonly duplicate?: boolean;
}

export interface ProduceReply {
  readonly entries: readonly ProducedEntry[];
}

export interface InitProducerIdReply {
  readonly producerId: number;
  readonly producerEpoch: number;
}

export interface FetchedPartition {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: number;
  readonly logStartOffset: number;
  /** base64 of whole record batches (the first may start before the asked offset), baseOffsets set. */
  readonly records: string;
  readonly error?: ErrorPayload;
}

export interface FetchReply {
  readonly partitions: readonly FetchedPartition[];
}

export interface ListedOffset {
  readonly topic: string;
  readonly partition: number;
  /** -1 when no record has a timestamp at or after the one asked. */
  readonly offset: number;
  readonly timestamp: number;
}

export interface ListOffsetsReply {
  readonly partitions: readonly ListedOffset[];
}

export interface MetadataReply {
  readonly topics: readonly {
    readonly topic: string;
    readonly topicId: string;
    readonly partitions: number;
    /** The topic's max.message.bytes: a producer checks records against it before sending. */
    readonly maxMessageBytes?: number;
  }[];
}
