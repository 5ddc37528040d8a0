/**
 * Fetch: the broker's fetch, waiting up to max.wait.ms for min.bytes; records
 * are returned as stored (whole batches, the first may start before the
 * offset asked, as in Kafka). Only committed records are ever visible, so the
 * last stable offset is the high watermark and no transaction is aborted in
 * what is returned. Sessions are not kept: every answer is a full one.
 * v13+ name topics by id: each is turned into its name (Metadata's ids); an
 * id no live topic has is answered UNKNOWN_TOPIC_ID.
 */
import { KafkalessError } from '../../errors.js';
import { MAX_FETCH_BYTES, MAX_FETCH_WAIT_MS } from '../../limits.js';
import type { FetchedPartition, FetchReply } from '../../protocol/log-replies.js';
import { API_KEYS, ZERO_UUID } from '../../wire/index.js';
import type { ApiHandler } from '../api-handler.js';
import { samePartition, settleChecked, type Settled } from '../settle-each.js';
import { topicNamesOf } from '../topic-id-names.js';
import { byTopic, clamp, codeOf, safeNumber } from '../wire-answers.js';

interface Ask {
  readonly topic: string;
  /** v13+: the topic's id as the client named it. */
  readonly topicId: string;
  readonly partition: number;
  readonly offset: number | undefined;
  readonly maxBytes: number;
}

const EMPTY = Buffer.alloc(0);
const FIRST_BY_ID = 13;

export const fetch: ApiHandler<typeof API_KEYS.Fetch> = {
  apiKey: API_KEYS.Fetch,
  minVersion: 4,
  maxVersion: 13,
  async handle(request, ctx) {
    const byId = ctx.version >= FIRST_BY_ID;
    const names = byId && request.topics.length > 0 ? await topicNamesOf(ctx.broker, request.topics.map((t) => t.topicId)) : new Map<string, string>();
    const all: (Ask & { known: boolean })[] = request.topics.flatMap((t) => {
      const topic = byId ? names.get(t.topicId) : t.topic;
      return t.partitions.map((p) => {
        const offset = safeNumber(p.fetchOffset);
        return { topic: topic ?? '', topicId: t.topicId, known: topic !== undefined, partition: p.partition, offset: offset !== undefined && offset >= 0 ? offset : undefined, maxBytes: clamp(p.partitionMaxBytes, 1, MAX_FETCH_BYTES) };
      });
    });
    const asks = all.filter((a) => a.known);
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
    const answered = new Map(asks.map((a, k) => [a, settled[k]!]));
    // Grouped by what the client named: the topic (v4-12) or its id (v13+).
    const answers = all.map((a) => ({ ...a, topic: byId ? a.topicId : a.topic, settled: answered.get(a) }));
    const responses = [...byTopic(answers)].map(([named, parts]) => ({
      topic: byId ? '' : named,
      topicId: byId ? named : ZERO_UUID,
      partitions: parts.map((p) => partitionAnswer(p.partition, p.settled)),
    }));
    return { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses };
  },
};

function refusal(a: Ask): KafkalessError | undefined {
  if (a.partition < 0) return new KafkalessError('UnknownTopicOrPartition', `Partition ${a.partition} of '${a.topic}' does not exist.`);
  if (a.offset === undefined) return new KafkalessError('OffsetOutOfRange', `Fetch offset of partition ${a.partition} of '${a.topic}' is out of range`);
  return undefined;
}

/** `settled` undefined: the topic id names no live topic. */
function partitionAnswer(partitionIndex: number, settled: Settled<FetchedPartition> | undefined) {
  const failed = { partitionIndex, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: [], records: EMPTY };
  if (settled === undefined) return { ...failed, errorCode: codeOf('UnknownTopicId') };
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
