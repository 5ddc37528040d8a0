/**
 * Fetch (docs/ARCHITECTURE.md, "The fetch path"): per partition, read the head (strongly consistent),
 * serve batches from the asked offset up to the byte limits, and report the
 * high watermark. Per-partition problems (unknown partition, offset out of
 * range, corruption) are answered per partition, as Kafka does. When nothing
 * is available the request waits up to `maxWaitMs` for new data.
 */
import { KafkalessError, toErrorPayload } from '../../errors.js';
import type { FetchedPartition, FetchReply } from '../../protocol/log-replies.js';
import type { FetchRequest } from '../../protocol/log-requests.js';
import { DEFAULT_PARTITION_FETCH_BYTES, MAX_FETCH_BYTES } from '../../limits.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import { defaultSleep } from '../../retry.js';
import type { BatchIndex } from '../../storage/batch-index.js';
import type { ObjectStore } from '../../storage/object-store.js';
import type { PartitionHeads } from '../../storage/partition-heads.js';
import type { TopicCache } from '../topic-cache.js';
import { mapLimit } from '../../map-limit.js';
import { readEntries, selectEntries, trimToFetch } from './read-batches.js';

export interface FetchDeps {
  readonly topics: TopicCache;
  readonly heads: PartitionHeads;
  readonly index: BatchIndex;
  readonly objects: ObjectStore;
  readonly now: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** How often a waiting fetch looks at the heads again. */
export const POLL_INTERVAL_MS = 100;

type PartitionAsk = FetchRequest['partitions'][number];

export async function fetch(deps: FetchDeps, request: FetchRequest): Promise<FetchReply> {
  request.partitions.forEach((p) => validateTopicName(p.topic));
  const deadline = deps.now() + (request.maxWaitMs ?? 0);
  const minBytes = Math.max(1, request.minBytes ?? 1);
  const sleep = deps.sleep ?? defaultSleep;
  for (;;) {
    const reply = await fetchOnce(deps, request);
    const bytes = reply.partitions.reduce((n, p) => n + p.records.length, 0);
    const anyError = reply.partitions.some((p) => p.error !== undefined);
    if (bytes >= minBytes || anyError || deps.now() + POLL_INTERVAL_MS > deadline) return reply;
    await sleep(POLL_INTERVAL_MS);
  }
}

/** Partitions read at once within one fetch. */
export const PARTITION_CONCURRENCY = 8;

/**
 * Reads the partitions in parallel, then keeps, in request order, what fits
 * the request's byte budget (the first partition with data always fits, as
 * in Kafka); a partition cut by the budget answers with no records and is
 * read again by the next fetch.
 */
async function fetchOnce(deps: FetchDeps, request: FetchRequest): Promise<FetchReply> {
  const total = request.maxBytes ?? MAX_FETCH_BYTES;
  const read = await mapLimit(request.partitions, PARTITION_CONCURRENCY, (ask) =>
    fetchPartition(deps, ask, Math.min(total, ask.maxBytes ?? DEFAULT_PARTITION_FETCH_BYTES)),
  );
  let budget = total;
  let first = true;
  const partitions = read.map((p) => {
    const bytes = Math.ceil((p.records.length * 3) / 4);
    if (bytes === 0) return p;
    if (!first && bytes > budget) return { ...p, records: '' };
    first = false;
    budget = Math.max(0, budget - bytes);
    return p;
  });
  return { partitions };
}

async function fetchPartition(deps: FetchDeps, ask: PartitionAsk, maxBytes: number): Promise<FetchedPartition> {
  const base = { topic: ask.topic, partition: ask.partition };
  let highWatermark = -1;
  let logStartOffset = -1;
  try {
    const topic = await deps.topics.require(ask.topic);
    if (ask.partition >= topic.partitions) {
      throw new KafkalessError('UnknownTopicOrPartition', `Topic '${ask.topic}' has ${topic.partitions} partition(s); partition ${ask.partition} does not exist.`, {
        context: base,
      });
    }
    const head = await deps.heads.get(topic.topicId, ask.partition);
    highWatermark = head.highWatermark;
    logStartOffset = head.logStartOffset;
    if (ask.offset < head.logStartOffset || ask.offset > head.highWatermark) {
      throw new KafkalessError(
        'OffsetOutOfRange',
        `Offset ${ask.offset} is outside partition ${ask.partition} of '${ask.topic}', which holds [${head.logStartOffset}, ${head.highWatermark}). Seek to a valid offset or set auto.offset.reset.`,
        { context: { ...base, offset: ask.offset } },
      );
    }
    if (maxBytes <= 0) return { ...base, highWatermark, logStartOffset, records: '' };
    const entries = await selectEntries(deps.index, {
      topicId: topic.topicId,
      partition: ask.partition,
      offset: ask.offset,
      highWatermark: head.highWatermark,
      maxBytes,
    });
    const bytes = entries.length === 0 ? Buffer.alloc(0) : trimToFetch(await readEntries(deps.objects, entries), ask.offset, maxBytes);
    return { ...base, highWatermark, logStartOffset, records: bytes.toString('base64') };
  } catch (err) {
    if (!(err instanceof KafkalessError)) throw err;
    return { ...base, highWatermark, logStartOffset, records: '', error: toErrorPayload(err) };
  }
}
