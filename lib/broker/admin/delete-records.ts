import { KafkalessError } from '../../errors.js';
import type { DeletedRecords } from '../../protocol/admin-replies.js';
import type { DeleteRecordsRequest } from '../../protocol/admin-requests.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import { topicPartitionKey } from '../../protocol/topic-partition-key.js';
import { retry } from '../../retry.js';
import type { LogStartMove } from '../../storage/log-start-offset.js';
import type { TopicRecord } from '../../storage/topic-store.js';
import type { AdminDeps } from './deps.js';

/** Kafka's DeleteRecords offset meaning "up to the high watermark". */
export const HIGH_WATERMARK_OFFSET = -1;

class HeadMoved extends Error {
  readonly retriable = true;
}

interface Ask {
  readonly topic: TopicRecord;
  readonly partition: number;
  readonly offset: number;
}

/**
 * Moves log start offsets forward, as Kafka's DeleteRecords: records below
 * become unreadable at once, and maintenance removes their data. Every
 * partition is checked (topic exists, partition exists, offset within
 * [0, highWatermark] or -1 for the high watermark) before the one
 * transaction that moves them all; a log start offset already past the
 * asked one is left as it is.
 */
export async function deleteRecords(deps: AdminDeps, request: DeleteRecordsRequest): Promise<{ partitions: DeletedRecords[] }> {
  const asks = await resolveAsks(deps, request);
  return retry(
    async () => {
      const heads = await Promise.all(asks.map((a) => deps.heads.get(a.topic.topicId, a.partition)));
      const moves: LogStartMove[] = [];
      const partitions = asks.map((ask, i): DeletedRecords => {
        const head = heads[i]!;
        const offset = ask.offset === HIGH_WATERMARK_OFFSET ? head.highWatermark : ask.offset;
        const context = { topic: ask.topic.name, partition: ask.partition, offset: ask.offset };
        if (offset < 0 || offset > head.highWatermark) {
          throw new KafkalessError(
            'OffsetOutOfRange',
            `Cannot delete records of partition ${ask.partition} of '${ask.topic.name}' up to offset ${ask.offset}: it holds [${head.logStartOffset}, ${head.highWatermark}); give an offset from 0 to the high watermark, or -1 for the high watermark.`,
            { context },
          );
        }
        if (offset > head.logStartOffset) moves.push({ topicId: ask.topic.topicId, partition: ask.partition, expected: head.logStartOffset, next: offset });
        return { topic: ask.topic.name, partition: ask.partition, lowWatermark: Math.max(offset, head.logStartOffset) };
      });
      if (moves.length > 0 && !(await deps.logStarts.move(moves)).ok) throw new HeadMoved('a log start offset moved meanwhile');
      return { partitions };
    },
    { maxAttempts: 8, initialDelayMs: 10, maxDelayMs: 200, isRetriable: (err) => err instanceof HeadMoved },
  ).catch((err: unknown) => {
    if (err instanceof HeadMoved) throw new KafkalessError('RequestTimedOut', 'The partitions kept changing while their records were being deleted; nothing was changed: retry the request.');
    throw err;
  });
}

async function resolveAsks(deps: AdminDeps, request: DeleteRecordsRequest): Promise<Ask[]> {
  const seen = new Set<string>();
  const topics = new Map<string, TopicRecord>();
  const asks: Ask[] = [];
  for (const p of request.partitions) {
    validateTopicName(p.topic);
    const key = topicPartitionKey(p.topic, p.partition);
    if (seen.has(key)) throw new KafkalessError('InvalidRequest', `Partition ${p.partition} of '${p.topic}' appears twice in the request`, { context: { topic: p.topic, partition: p.partition } });
    seen.add(key);
    const topic = topics.get(p.topic) ?? (await deps.topics.require(p.topic));
    topics.set(p.topic, topic);
    if (p.partition < 0 || p.partition >= topic.partitions) {
      throw new KafkalessError('UnknownTopicOrPartition', `Topic '${p.topic}' has ${topic.partitions} partition(s); partition ${p.partition} does not exist.`, {
        context: { topic: p.topic, partition: p.partition },
      });
    }
    if (p.offset < HIGH_WATERMARK_OFFSET) {
      throw new KafkalessError('OffsetOutOfRange', `Offset ${p.offset} for partition ${p.partition} of '${p.topic}' is negative; give an offset from 0 to the high watermark, or -1 for the high watermark.`, {
        context: { topic: p.topic, partition: p.partition, offset: p.offset },
      });
    }
    asks.push({ topic, partition: p.partition, offset: p.offset });
  }
  return asks;
}
