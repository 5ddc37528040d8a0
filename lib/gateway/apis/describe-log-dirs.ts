/**
 * DescribeLogDirs: one log directory, the stack's S3 log, holding every
 * partition; a partition's size is the byte count its head keeps (admin
 * describeTopics), its offset lag 0 (the high watermark is the log's end).
 * The volume's sizes are unknown (-1): S3 has no capacity to report.
 * Topics and partitions that do not exist are left out, as Kafka does.
 */
import type { KafkalessError } from '../../errors.js';
import { MAX_TOPICS_PER_LOOKUP } from '../../limits.js';
import type { TopicDescription } from '../../protocol/admin-replies.js';
import { API_KEYS } from '../../wire/index.js';
import type { ApiContext, ApiHandler } from '../api-handler.js';
import { asKafkalessError, chunksOf, sameTopic, settleEach } from '../settle-each.js';
import { codeOf } from '../wire-answers.js';

/** The name this gateway gives its one log directory. */
export const LOG_DIR = '/kafkaless/s3';
/** Kafka's "volume size not known". */
const UNKNOWN_BYTES = -1;

export const describeLogDirs: ApiHandler<typeof API_KEYS.DescribeLogDirs> = {
  apiKey: API_KEYS.DescribeLogDirs,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, ctx) {
    const asked = request.topics === null ? undefined : new Map(request.topics.map((t) => [t.topic, new Set(t.partitions)]));
    const { topics, error } = await describe(asked === undefined ? undefined : [...asked.keys()], ctx);
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      results: [
        {
          errorCode: error === undefined ? 0 : codeOf(error.code),
          logDir: LOG_DIR,
          topics: topics.map((t) => ({
            name: t.topic,
            partitions: t.partitions
              .filter((p) => asked === undefined || asked.get(t.topic)!.has(p.partition))
              .map((p) => ({ partitionIndex: p.partition, partitionSize: p.bytes, offsetLag: 0, isFutureKey: false })),
          })),
          totalBytes: UNKNOWN_BYTES,
          usableBytes: UNKNOWN_BYTES,
        },
      ],
    };
  },
};

/** Names that are no topic are left out; any other failure is the log directory's error. */
const ABSENT = new Set(['UnknownTopicOrPartition', 'InvalidTopic']);

/** Every topic (undefined) or the named ones that exist; or the error that kept them from being described. */
async function describe(names: readonly string[] | undefined, ctx: ApiContext): Promise<{ topics: TopicDescription[]; error?: KafkalessError }> {
  const call = async (topics?: readonly string[]) =>
    (await ctx.broker.call<{ topics: TopicDescription[] }>('admin', { action: 'describeTopics', ...(topics === undefined ? {} : { topics }) })).topics;
  try {
    if (names === undefined) return { topics: await call() };
  } catch (err) {
    return { topics: [], error: asKafkalessError(err) };
  }
  const topics: TopicDescription[] = [];
  for (const chunk of chunksOf(names, MAX_TOPICS_PER_LOOKUP)) {
    for (const s of await settleEach(chunk, sameTopic, call)) {
      if (s.error === undefined) topics.push(s.result);
      else if (!ABSENT.has(s.error.code)) return { topics: [], error: s.error };
    }
  }
  return { topics };
}
