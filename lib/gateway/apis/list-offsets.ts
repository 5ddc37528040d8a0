/** ListOffsets: earliest (-2), latest (-1), or the first offset at or after a timestamp. */
import { KafkalessError } from '../../errors.js';
import type { ListedOffset, ListOffsetsReply } from '../../protocol/log-replies.js';
import { EARLIEST_TIMESTAMP } from '../../protocol/log-requests.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { samePartition, settleEach, type Settled } from '../settle-each.js';
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
    const valid = asks.filter((a) => a.timestamp !== undefined && a.partition >= 0);
    const settled =
      valid.length === 0
        ? []
        : await settleEach(valid, samePartition, async (batch) => {
            const reply = await ctx.broker.call<ListOffsetsReply>('fetch', { action: 'listOffsets', partitions: batch });
            return reply.partitions;
          });
    const byAsk = new Map(valid.map((a, k) => [a, settled[k]!]));
    const answers = asks.map((a) => ({ ...a, settled: byAsk.get(a) ?? refused(a) }));
    return {
      throttleTimeMs: 0,
      topics: [...byTopic(answers)].map(([name, parts]) => ({ name, partitions: parts.map((p) => partitionAnswer(p.partition, p.settled)) })),
    };
  },
};

function refused(a: Ask): Settled<ListedOffset> {
  return a.partition < 0
    ? { error: new KafkalessError('UnknownTopicOrPartition', `Partition ${a.partition} of '${a.topic}' does not exist.`) }
    : { error: new KafkalessError('InvalidRequest', 'The timestamp must be -2 (earliest), -1 (latest) or a time in milliseconds') };
}

function partitionAnswer(partitionIndex: number, settled: Settled<ListedOffset>) {
  if (settled.error !== undefined) return { partitionIndex, errorCode: codeOf(settled.error.code), timestamp: -1, offset: -1 };
  return { partitionIndex, errorCode: 0, timestamp: settled.result.timestamp, offset: settled.result.offset };
}
