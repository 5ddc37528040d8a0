/**
 * DeleteRecords: the broker's deleteRecords moves each partition's log start
 * offset (-1: to the high watermark, as Kafka); answers the low watermark
 * after it. A partition named twice is INVALID_REQUEST.
 */
import { KafkalessError } from '../../errors.js';
import { MAX_DELETE_RECORDS_PARTITIONS } from '../../limits.js';
import type { DeletedRecords } from '../../protocol/admin-replies.js';
import { topicPartitionKey } from '../../protocol/topic-partition-key.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { chunksOf, samePartition, settleChecked, type Settled } from '../settle-each.js';
import { byTopic, codeOf, safeNumber } from '../wire-answers.js';

interface Ask {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number | undefined;
}

export const deleteRecords: ApiHandler<typeof API_KEYS.DeleteRecords> = {
  apiKey: API_KEYS.DeleteRecords,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, ctx) {
    const asks: Ask[] = request.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: safeNumber(p.offset) })));
    const keys = asks.map((a) => topicPartitionKey(a.topic, a.partition));
    const twice = new Set(keys.filter((key, k) => keys.indexOf(key) !== k));
    const refusal = (a: Ask): KafkalessError | undefined => {
      if (twice.has(topicPartitionKey(a.topic, a.partition))) return new KafkalessError('InvalidRequest', `Partition ${a.partition} of '${a.topic}' appears more than once in the request`);
      if (a.offset === undefined) return new KafkalessError('OffsetOutOfRange', `The offset for partition ${a.partition} of '${a.topic}' is beyond any partition's end; give an offset up to the high watermark, or -1 for the high watermark.`);
      return undefined;
    };
    const settled: Settled<DeletedRecords>[] = [];
    for (const chunk of chunksOf(asks, MAX_DELETE_RECORDS_PARTITIONS)) {
      settled.push(
        ...(await settleChecked(chunk, refusal, samePartition, async (partitions) => {
          const reply = await ctx.broker.call<{ partitions: DeletedRecords[] }>('admin', { action: 'deleteRecords', partitions });
          return reply.partitions;
        })),
      );
    }
    const answers = asks.map((a, k) => ({ ...a, settled: settled[k]! }));
    return {
      throttleTimeMs: 0,
      topics: [...byTopic(answers)].map(([name, parts]) => ({
        name,
        partitions: parts.map((p) =>
          p.settled.error === undefined
            ? { partitionIndex: p.partition, lowWatermark: p.settled.result.lowWatermark, errorCode: 0 }
            : { partitionIndex: p.partition, lowWatermark: -1, errorCode: codeOf(p.settled.error.code) },
        ),
      })),
    };
  },
};
