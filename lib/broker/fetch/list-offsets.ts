/**
 * ListOffsets: the earliest offset (log start), the latest (high watermark),
 * or the first offset whose record timestamp is at or after a given time
 * (segment items answer through their `.timeindex`).
 */
import { KafkalessError } from '../../errors.js';
import { decodeRecordBatches } from '../../log/index.js';
import type { ListedOffset, ListOffsetsReply } from '../../protocol/log-replies.js';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, type ListOffsetsRequest } from '../../protocol/log-requests.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import type { BatchIndex } from '../../storage/batch-index.js';
import type { ObjectStore } from '../../storage/object-store.js';
import type { PartitionHeads } from '../../storage/partition-heads.js';
import { isSegmentKey } from '../../storage/segment-keys.js';
import { segmentOffsetForTime } from '../../storage/segment-reader.js';
import type { TopicCache } from '../topic-cache.js';
import { readEntries } from './read-batches.js';

export interface ListOffsetsDeps {
  readonly topics: TopicCache;
  readonly heads: PartitionHeads;
  readonly index: BatchIndex;
  readonly objects: ObjectStore;
}

export async function listOffsets(deps: ListOffsetsDeps, request: ListOffsetsRequest): Promise<ListOffsetsReply> {
  const partitions: ListedOffset[] = [];
  for (const ask of request.partitions) {
    validateTopicName(ask.topic);
    const topic = await deps.topics.require(ask.topic);
    if (ask.partition >= topic.partitions) {
      throw new KafkalessError('UnknownTopicOrPartition', `Topic '${ask.topic}' has ${topic.partitions} partition(s); partition ${ask.partition} does not exist.`, {
        context: { topic: ask.topic, partition: ask.partition },
      });
    }
    const head = await deps.heads.get(topic.topicId, ask.partition);
    const base = { topic: ask.topic, partition: ask.partition };
    if (ask.timestamp === LATEST_TIMESTAMP) partitions.push({ ...base, offset: head.highWatermark, timestamp: -1 });
    else if (ask.timestamp === EARLIEST_TIMESTAMP) partitions.push({ ...base, offset: head.logStartOffset, timestamp: -1 });
    else partitions.push({ ...base, ...(await offsetForTime(deps, topic.topicId, ask.partition, head.logStartOffset, head.highWatermark, ask.timestamp)) });
  }
  return { partitions };
}

async function offsetForTime(
  deps: ListOffsetsDeps,
  topicId: string,
  partition: number,
  logStartOffset: number,
  highWatermark: number,
  timestamp: number,
): Promise<{ offset: number; timestamp: number }> {
  for await (const entry of deps.index.scan(topicId, partition, 0)) {
    if (entry.baseOffset >= highWatermark) break;
    if (entry.lastOffset < logStartOffset || entry.maxTimestamp < timestamp) continue;
    if (isSegmentKey(entry.objectKey)) {
      const found = await segmentOffsetForTime(deps.objects, entry, timestamp, logStartOffset);
      if (found !== undefined) return found;
      continue;
    }
    const batches = await decodeRecordBatches(await readEntries(deps.objects, [entry]));
    for (const batch of batches) {
      for (const record of batch.records) {
        if (record.offset >= logStartOffset && record.timestamp >= timestamp) return { offset: record.offset, timestamp: record.timestamp };
      }
    }
  }
  return { offset: -1, timestamp: -1 };
}
