/**
 * DescribeProducers (v0): the broker's describeProducers, answered per
 * partition. An open transaction's records are staged, not in the log, so
 * currentTxnStartOffset is -1; there is no coordinator epoch (-1).
 */
import type { PartitionProducers } from '../../protocol/txn-admin-replies.js';
import type { ErrorContext } from '../../errors.js';
import { KafkalessError } from '../../errors.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { settleChecked, type Settled } from '../settle-each.js';
import { byTopic, errorFields } from '../wire-answers.js';

/** The broker's describeProducers takes at most this many partitions per call. */
const CHUNK = 1000;

interface Asked {
  readonly topic: string;
  readonly partition: number;
}

/** A topic-wide error (the topic does not exist) names every partition of it. */
const culprit = (item: Asked, context: ErrorContext): boolean => context.topic === item.topic && (context.partition === undefined || context.partition === item.partition);

export const describeProducers: ApiHandler<typeof API_KEYS.DescribeProducers> = {
  apiKey: API_KEYS.DescribeProducers,
  minVersion: 0,
  maxVersion: 0,
  async handle(request, ctx) {
    const asked: Asked[] = request.topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })));
    const settled: Settled<PartitionProducers>[] = [];
    for (let i = 0; i < asked.length; i += CHUNK) {
      settled.push(
        ...(await settleChecked(asked.slice(i, i + CHUNK), refusal, culprit, async (chunk) =>
          (await ctx.broker.call<{ partitions: PartitionProducers[] }>('produce', { action: 'describeProducers', partitions: chunk })).partitions,
        )),
      );
    }
    const answers = asked.map((a, k) => ({ ...a, settled: settled[k]! }));
    return {
      throttleTimeMs: 0,
      topics: [...byTopic(answers)].map(([name, parts]) => ({
        name,
        partitions: parts.map((p) => ({
          partitionIndex: p.partition,
          ...errorFields(p.settled),
          activeProducers:
            p.settled.error !== undefined
              ? []
              : p.settled.result.activeProducers.map((s) => ({
                  producerId: BigInt(s.producerId),
                  producerEpoch: s.producerEpoch,
                  lastSequence: s.lastSequence,
                  lastTimestamp: BigInt(s.lastTimestamp),
                  coordinatorEpoch: -1,
                  currentTxnStartOffset: BigInt(s.currentTransactionStartOffset),
                })),
        })),
      })),
    };
  },
};

function refusal(a: Asked): KafkalessError | undefined {
  return a.partition < 0 ? new KafkalessError('UnknownTopicOrPartition', `Partition ${a.partition} of '${a.topic}' does not exist.`) : undefined;
}
