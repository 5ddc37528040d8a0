/**
 * OffsetForLeaderEpoch: partitions never change leader, so epoch 0 (the one
 * Metadata reports) is the only epoch, and its end offset is the high
 * watermark (the fetch function's listOffsets latest). As Kafka answers:
 * a current leader epoch above 0 is UNKNOWN_LEADER_EPOCH (the client knows
 * of a newer leader than the broker), one below it (but -1, no check) is
 * FENCED_LEADER_EPOCH; an asked epoch other than 0 has no end offset
 * (epoch -1, offset -1).
 */
import { KafkalessError } from '../../errors.js';
import type { ListedOffset, ListOffsetsReply } from '../../protocol/log-replies.js';
import { LATEST_TIMESTAMP } from '../../protocol/log-requests.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { samePartition, settleChecked, type Settled } from '../settle-each.js';
import { byTopic, codeOf, LEADER_EPOCH } from '../wire-answers.js';

/** Kafka's "no epoch": in a request, no current epoch to check; in an answer, an epoch with no end offset. */
const NO_EPOCH = -1;
const NO_OFFSET = -1;

interface Ask {
  readonly topic: string;
  readonly partition: number;
  readonly currentLeaderEpoch: number;
  readonly leaderEpoch: number;
}

export const offsetForLeaderEpoch: ApiHandler<typeof API_KEYS.OffsetForLeaderEpoch> = {
  apiKey: API_KEYS.OffsetForLeaderEpoch,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    const asks: Ask[] = request.topics.flatMap((t) =>
      t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, currentLeaderEpoch: ctx.version >= 2 ? p.currentLeaderEpoch : NO_EPOCH, leaderEpoch: p.leaderEpoch })),
    );
    // Every partition is looked up, so an unknown one is UNKNOWN_TOPIC_OR_PARTITION whatever epochs it names.
    const settled = await settleChecked(asks, refusal, samePartition, async (batch) => {
      const partitions = batch.map((a) => ({ topic: a.topic, partition: a.partition, timestamp: LATEST_TIMESTAMP }));
      return (await ctx.broker.call<ListOffsetsReply>('fetch', { action: 'listOffsets', partitions })).partitions;
    });
    const answers = asks.map((a, k) => ({ ...a, settled: settled[k]! }));
    return {
      throttleTimeMs: 0,
      topics: [...byTopic(answers)].map(([topic, parts]) => ({ topic, partitions: parts.map(epochEnd) })),
    };
  },
};

function refusal(a: Ask): KafkalessError | undefined {
  return a.partition < 0 ? new KafkalessError('UnknownTopicOrPartition', `Partition ${a.partition} of '${a.topic}' does not exist.`) : undefined;
}

function epochEnd(a: Ask & { settled: Settled<ListedOffset> }) {
  const partition = a.partition;
  if (a.settled.error !== undefined) return { partition, errorCode: codeOf(a.settled.error.code), leaderEpoch: NO_EPOCH, endOffset: NO_OFFSET };
  if (a.currentLeaderEpoch > LEADER_EPOCH) return { partition, errorCode: codeOf('UnknownLeaderEpoch'), leaderEpoch: NO_EPOCH, endOffset: NO_OFFSET };
  if (a.currentLeaderEpoch < LEADER_EPOCH && a.currentLeaderEpoch !== NO_EPOCH) return { partition, errorCode: codeOf('FencedLeaderEpoch'), leaderEpoch: NO_EPOCH, endOffset: NO_OFFSET };
  if (a.leaderEpoch !== LEADER_EPOCH) return { partition, errorCode: 0, leaderEpoch: NO_EPOCH, endOffset: NO_OFFSET };
  return { partition, errorCode: 0, leaderEpoch: LEADER_EPOCH, endOffset: a.settled.result.offset };
}
