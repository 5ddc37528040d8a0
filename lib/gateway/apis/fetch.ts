/**
 * Fetch: the broker's fetch, waiting up to max.wait.ms for min.bytes; records
 * are returned as stored (whole batches, the first may start before the
 * offset asked, as in Kafka). Only committed records are ever visible, so the
 * last stable offset is the high watermark and no transaction is aborted in
 * what is returned. Sessions are not kept: every answer is a full one.
 */
import { KafkalessError } from '../../errors.js';
import { MAX_FETCH_BYTES, MAX_FETCH_WAIT_MS } from '../../limits.js';
import type { FetchedPartition, FetchReply } from '../../protocol/log-replies.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { samePartition, settleChecked, type Settled } from '../settle-each.js';
import { byTopic, clamp, codeOf, safeNumber } from '../wire-answers.js';

interface Ask {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number | undefined;
  readonly maxBytes: number;
}

const EMPTY = Buffer.alloc(0);

export const fetch: ApiHandler<typeof API_KEYS.Fetch> = {
  apiKey: API_KEYS.Fetch,
  minVersion: 4,
  maxVersion: 12,
  async handle(request, ctx) {
    const asks: Ask[] = request.topics.flatMap((t) =>
      t.partitions.map((p) => {
        const offset = safeNumber(p.fetchOffset);
        return { topic: t.topic, partition: p.partition, offset: offset !== undefined && offset >= 0 ? offset : undefined, maxBytes: clamp(p.partitionMaxBytes, 1, MAX_FETCH_BYTES) };
      }),
    );
    const settled = await settleChecked(asks, refusal, samePartition, async (batch) => {
      const reply = await ctx.broker.call<FetchReply>('fetch', {
        action: 'fetch',
        partitions: batch.map((a) => ({ topic: a.topic, partition: a.partition, offset: a.offset, maxBytes: a.maxBytes })),
        maxBytes: clamp(request.maxBytes, 1, MAX_FETCH_BYTES),
        maxWaitMs: clamp(request.maxWaitMs, 0, MAX_FETCH_WAIT_MS),
        minBytes: clamp(request.minBytes, 0, MAX_FETCH_BYTES),
      });
      return reply.partitions;
    });
    const answers = asks.map((a, k) => ({ ...a, settled: settled[k]! }));
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [...byTopic(answers)].map(([topic, parts]) => ({ topic, partitions: parts.map((p) => partitionAnswer(p.partition, p.settled)) })),
    };
  },
};

function refusal(a: Ask): KafkalessError | undefined {
  if (a.partition < 0) return new KafkalessError('UnknownTopicOrPartition', `Partition ${a.partition} of '${a.topic}' does not exist.`);
  if (a.offset === undefined) return new KafkalessError('OffsetOutOfRange', `Fetch offset of partition ${a.partition} of '${a.topic}' is out of range`);
  return undefined;
}

function partitionAnswer(partitionIndex: number, settled: Settled<FetchedPartition>) {
  const failed = { partitionIndex, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: [], records: EMPTY };
  if (settled.error !== undefined) return { ...failed, errorCode: codeOf(settled.error.code) };
  const p = settled.result;
  const errorCode = p.error !== undefined ? codeOf(p.error.code) : 0;
  return {
    partitionIndex,
    errorCode,
    highWatermark: p.highWatermark,
    lastStableOffset: p.highWatermark,
    logStartOffset: p.logStartOffset,
    abortedTransactions: [],
    records: p.records.length > 0 ? Buffer.from(p.records, 'base64') : EMPTY,
  };
}
