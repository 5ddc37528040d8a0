/** ListOffsets: earliest (-2), latest (-1), or the first offset at or after a timestamp. */
import { KafkalessError } from '../../errors.js';
import type { ListedOffset, ListOffsetsReply } from '../../protocol/log-replies.js';
import { EARLIEST_TIMESTAMP } from '../../protocol/log-requests.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { samePartition, settleChecked, type Settled } from '../settle-each.js';
import { byTopic, codeOf, safeNumber } from '../wire-answers.js';

interface Ask {
  readonly topic: string;
  readonly partition: number;
  readonly timestamp: number | undefined;
}

export const listOffsets: ApiHandler<typeof API_KEYS.ListOffsets> = {
  apiKey: API_KEYS.ListOffsets,
  minVersion: 1,
  maxVersion: 6,
  async handle(request, ctx) {
    const asks: Ask[] = request.topics.flatMap((t) =>
      t.partitions.map((p) => {
        const timestamp = safeNumber(p.timestamp);
        return { topic: t.name, partition: p.partitionIndex, timestamp: timestamp !== undefined && timestamp >= EARLIEST_TIMESTAMP ? timestamp : undefined };
      }),
    );
    const settled = await settleChecked(asks, refusal, samePartition, async (batch) => {
      const reply = await ctx.broker.call<ListOffsetsReply>('fetch', { action: 'listOffsets', partitions: batch });
      return reply.partitions;
    });
    const answers = asks.map((a, k) => ({ ...a, settled: settled[k]! }));
    return {
      throttleTimeMs: 0,
      topics: [...byTopic(answers)].map(([name, parts]) => ({ name, partitions: parts.map((p) => partitionAnswer(p.partition, p.settled)) })),
    };
  },
};

function refusal(a: Ask): KafkalessError | undefined {
  if (a.partition < 0) return new KafkalessError('UnknownTopicOrPartition', `Partition ${a.partition} of '${a.topic}' does not exist.`);
  if (a.timestamp === undefined) return new KafkalessError('InvalidRequest', 'The timestamp must be -2 (earliest), -1 (latest) or a time in milliseconds');
  return undefined;
}

function partitionAnswer(partitionIndex: number, settled: Settled<ListedOffset>) {
  if (settled.error !== undefined) return { partitionIndex, errorCode: codeOf(settled.error.code), timestamp: -1, offset: -1 };
  return { partitionIndex, errorCode: 0, timestamp: settled.result.timestamp, offset: settled.result.offset };
}
