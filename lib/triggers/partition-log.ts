/**
 * What delivery needs from the broker, through its public actions only:
 * records from an offset, offsets by time, and the subscription group's
 * committed offsets (the group function's fetchOffsets / commitOffsets,
 * outside any member: a subscription is the only writer of its group).
 */
import { KafkalessError, errorFromPayload } from '../errors.js';
import { call, type Transport } from '../client/transport.js';
import { decodeRecordBatches } from '../log/index.js';
import type { CommitOffsetsReply, FetchOffsetsReply } from '../protocol/group-replies.js';
import type { FetchReply, ListOffsetsReply } from '../protocol/log-replies.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from '../protocol/offset-timestamps.js';
import { MAX_FETCH_BYTES } from '../limits.js';
import type { DeliveredRecord } from './msk-event.js';

export interface TopicPartitionRef {
  readonly topic: string;
  readonly partition: number;
}

export type FetchOutcome =
  | { readonly kind: 'records'; readonly records: readonly DeliveredRecord[]; readonly highWatermark: number }
  | { readonly kind: 'out-of-range'; readonly logStartOffset: number; readonly highWatermark: number };

/** Records from `offset` on, at most `maxRecords` (at least one batch's worth is read). */
export async function fetchRecords(broker: Transport, tp: TopicPartitionRef, offset: number, maxRecords: number): Promise<FetchOutcome> {
  const reply = await call<FetchReply>(broker, 'fetch', {
    action: 'fetch',
    partitions: [{ topic: tp.topic, partition: tp.partition, offset, maxBytes: MAX_FETCH_BYTES }],
    maxBytes: MAX_FETCH_BYTES,
  });
  const p = reply.partitions[0];
  if (p === undefined) throw new KafkalessError('UnknownServerError', `The fetch function answered nothing for partition ${tp.partition} of '${tp.topic}'`);
  if (p.error !== undefined) {
    if (p.error.code === 'OffsetOutOfRange') return { kind: 'out-of-range', logStartOffset: p.logStartOffset, highWatermark: p.highWatermark };
    throw errorFromPayload(p.error);
  }
  const records: DeliveredRecord[] = [];
  if (p.records !== '') {
    for (const batch of await decodeRecordBatches(Buffer.from(p.records, 'base64'))) {
      if (batch.isControl) continue;
      for (const r of batch.records) {
        if (r.offset < offset || records.length >= maxRecords) continue;
        records.push({ ...tp, offset: r.offset, timestamp: r.timestamp, timestampType: batch.timestampType, key: r.key, value: r.value, headers: r.headers });
      }
    }
  }
  return { kind: 'records', records, highWatermark: p.highWatermark };
}

/** The offset at `timestamp`, or the earliest / latest special timestamps; past the last record's time, the log end. */
export async function offsetAt(broker: Transport, tp: TopicPartitionRef, timestamp: number): Promise<number> {
  const ask = async (ts: number): Promise<number> => {
    const reply = await call<ListOffsetsReply>(broker, 'fetch', { action: 'listOffsets', partitions: [{ ...tp, timestamp: ts }] });
    return reply.partitions[0]?.offset ?? -1;
  };
  const offset = await ask(timestamp);
  return offset >= 0 ? offset : ask(LATEST_TIMESTAMP);
}

export { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP };

/** The group's committed offset of this partition; undefined when none (or no group yet). */
export async function committedOffset(broker: Transport, groupId: string, tp: TopicPartitionRef): Promise<number | undefined> {
  try {
    const reply = await call<FetchOffsetsReply>(broker, 'group', { action: 'fetchOffsets', groupId, topics: [tp.topic] });
    const found = reply.offsets.find((o) => o.topic === tp.topic && o.partition === tp.partition);
    return found === undefined || found.offset < 0 ? undefined : found.offset;
  } catch (err) {
    if (err instanceof KafkalessError && err.code === 'GroupIdNotFound') return undefined;
    throw err;
  }
}

export async function commitOffset(broker: Transport, groupId: string, tp: TopicPartitionRef, offset: number): Promise<void> {
  await call<CommitOffsetsReply>(broker, 'group', { action: 'commitOffsets', groupId, offsets: [{ topic: tp.topic, partition: tp.partition, offset }] });
}
