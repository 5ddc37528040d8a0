/**
 * The maintenance function's read-only requests: what maintenance and the
 * log look like in S3 and DynamoDB, for the web console. Every figure comes
 * from the stores maintenance itself uses; the collector's candidates come
 * from the collector's own generators, so the console shows exactly what
 * the next collection would consider. Nothing here writes.
 */
import { KafkalessError } from '../../errors.js';
import { INGEST_PREFIX } from '../produce/ingest-key.js';
import type {
  CommitActivity,
  DescribeLogReply,
  LogItemView,
  MaintenanceStatusReply,
  StorageSummaryReply,
  UnreferencedObjectView,
  UnregisteredObjectView,
} from '../../protocol/inspection-replies.js';
import { LISTED_CANDIDATES } from '../../protocol/inspection-replies.js';
import { MAINTENANCE_STEPS, type DescribeLogRequest, type StorageSummaryRequest } from '../../protocol/maintenance-requests.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import type { BatchIndexEntry } from '../../storage/batch-index.js';
import { isSegmentKey, SEGMENT_PREFIX } from '../../storage/segment-keys.js';
import type { MaintenanceDeps } from './deps.js';
import { cutoffMs, unreferencedObjects, unregisteredIngest } from './garbage-collector.js';
import { mapLimit } from './tally.js';

const DEFAULT_LOG_PAGE = 100;
const DEFAULT_WINDOW_MS = 60 * 60 * 1000;
const MINUTE_MS = 60_000;

export async function maintenanceStatus(deps: MaintenanceDeps): Promise<MaintenanceStatusReply> {
  const checkedAt = deps.now();
  const cutoff = cutoffMs(deps);
  const unreferenced: UnreferencedObjectView[] = [];
  let unreferencedCount = 0;
  let unreferencedDue = 0;
  for await (const { item, due } of unreferencedObjects(deps, cutoff)) {
    unreferencedCount++;
    if (due) unreferencedDue++;
    if (unreferenced.length < LISTED_CANDIDATES) {
      unreferenced.push({ key: item.key, refs: item.refs, state: item.state, createdAt: item.createdAt, ...(item.releasedAt !== undefined ? { releasedAt: item.releasedAt } : {}), due });
    }
  }
  // Every ingest object without a registry item, young ones too (a commit in flight has none yet); the collector takes those older than the grace period.
  const unregistered: UnregisteredObjectView[] = [];
  let unregisteredCount = 0;
  let unregisteredDue = 0;
  let unregisteredBytes = 0;
  for await (const page of unregisteredIngest(deps, Number.POSITIVE_INFINITY)) {
    for (const object of page) {
      const due = object.madeMs <= cutoff;
      unregisteredCount++;
      unregisteredBytes += object.sizeBytes;
      if (due) unregisteredDue++;
      if (unregistered.length < LISTED_CANDIDATES) unregistered.push({ key: object.key, sizeBytes: object.sizeBytes, madeAt: object.madeMs, due });
    }
  }
  return {
    runs: await deps.runs.last(MAINTENANCE_STEPS),
    gracePeriodMs: deps.options.gracePeriodMs,
    checkedAt,
    unreferenced: { count: unreferencedCount, due: unreferencedDue, objects: unreferenced },
    unregistered: { count: unregisteredCount, due: unregisteredDue, bytes: unregisteredBytes, objects: unregistered },
  };
}

function itemView(entry: BatchIndexEntry): LogItemView {
  return {
    baseOffset: entry.baseOffset,
    lastOffset: entry.lastOffset,
    kind: isSegmentKey(entry.objectKey) ? 'segment' : 'ingest',
    objectKey: entry.objectKey,
    position: entry.position,
    sizeBytes: entry.sizeBytes,
    recordCount: entry.recordCount,
    ...(entry.batchCount !== undefined ? { batchCount: entry.batchCount } : {}),
    firstTimestamp: entry.firstTimestamp,
    maxTimestamp: entry.maxTimestamp,
    appendTime: entry.appendTime,
    producerId: entry.producerId,
    producerEpoch: entry.producerEpoch,
    baseSequence: entry.baseSequence,
    isTransactional: entry.isTransactional,
  };
}

export async function describeLog(deps: MaintenanceDeps, request: DescribeLogRequest): Promise<DescribeLogReply> {
  validateTopicName(request.topic);
  const topic = await deps.topics.require(request.topic);
  if (request.partition >= topic.partitions) {
    throw new KafkalessError('UnknownTopicOrPartition', `Topic '${topic.name}' has ${topic.partitions} partition(s); partition ${request.partition} does not exist.`, {
      context: { topic: topic.name, partition: request.partition },
    });
  }
  const head = await deps.heads.get(topic.topicId, request.partition);
  const limit = request.limit ?? DEFAULT_LOG_PAGE;
  const from = Math.max(request.fromOffset ?? head.logStartOffset, head.logStartOffset);
  // The item holding `from`, then those after it: the same readers fetch uses.
  const first = await deps.index.containing(topic.topicId, request.partition, from);
  const start = first?.baseOffset ?? from;
  const entries: BatchIndexEntry[] = [];
  let nextOffset: number | undefined;
  for await (const entry of deps.index.scan(topic.topicId, request.partition, start)) {
    if (entries.length === limit) {
      nextOffset = entry.baseOffset;
      break;
    }
    entries.push(entry);
  }
  const registry = await deps.registry.getMany(entries.map((e) => e.objectKey));
  const byKey = new Map(registry.map((r) => [r.key, r]));
  return {
    topic: topic.name,
    topicId: topic.topicId,
    partition: request.partition,
    logStartOffset: head.logStartOffset,
    highWatermark: head.highWatermark,
    bytes: head.bytes,
    lastAppendTime: head.lastAppendTime,
    items: entries.map(itemView),
    objects: [...new Set(entries.map((e) => e.objectKey))].map((key) => {
      const r = byKey.get(key);
      return r === undefined ? { key } : { key, refs: r.refs, state: r.state, createdAt: r.createdAt };
    }),
    ...(nextOffset !== undefined ? { nextOffset } : {}),
  };
}

function emptyActivity(): { -readonly [K in keyof CommitActivity]: CommitActivity[K] } {
  return { commits: 0, items: 0, producerItems: 0, records: 0, bytes: 0 };
}

/**
 * Commits over the window, read back from the batch index: each partition's
 * items newest first, down to the window's start. A commit is one ingest
 * object (its one PUT and one transaction), so commits are the distinct
 * ingest objects of the window's items; items rolled into segments since
 * are counted apart (rolledItems), as their commits are gone from the index.
 */
export async function storageSummary(deps: MaintenanceDeps, request: StorageSummaryRequest): Promise<StorageSummaryReply> {
  const checkedAt = deps.now();
  const windowMs = request.windowMs ?? DEFAULT_WINDOW_MS;
  const since = checkedAt - windowMs;
  const objects = { ingest: { count: 0, bytes: 0 }, segments: { count: 0, bytes: 0 }, other: { count: 0, bytes: 0 } };
  for await (const object of deps.objects.list('')) {
    const kind = object.key.startsWith(INGEST_PREFIX) ? objects.ingest : object.key.startsWith(SEGMENT_PREFIX) ? objects.segments : objects.other;
    kind.count++;
    kind.bytes += object.sizeBytes;
  }
  const topics = await deps.topics.list();
  const targets = topics.flatMap((topic) => Array.from({ length: topic.partitions }, (_, partition) => ({ topic, partition })));
  const recent = await mapLimit(targets, deps.options.readConcurrency, async ({ topic, partition }) => {
    const [entries, head] = await Promise.all([
      (async () => {
        const found: BatchIndexEntry[] = [];
        for await (const entry of deps.index.newestFirst(topic.topicId, partition)) {
          if (entry.appendTime < since) break;
          found.push(entry);
        }
        return found;
      })(),
      deps.heads.get(topic.topicId, partition),
    ]);
    return { topic: topic.name, entries, bytes: head.bytes };
  });
  const total = emptyActivity();
  const commitTimes = new Map<string, number>();
  const perTopic = new Map<string, ReturnType<typeof emptyActivity> & { partitions: number; storedBytes: number; objects: Set<string> }>();
  let rolledItems = 0;
  for (const topic of topics) perTopic.set(topic.name, { ...emptyActivity(), partitions: topic.partitions, storedBytes: 0, objects: new Set() });
  for (const { topic, entries, bytes } of recent) {
    const t = perTopic.get(topic)!;
    t.storedBytes += bytes;
    for (const entry of entries) {
      if (isSegmentKey(entry.objectKey)) {
        rolledItems++;
        continue;
      }
      // An aggregated run's item names no producer (its batches may come from several), so its producer states go uncounted.
      const producerItems = entry.producerId >= 0 ? 1 : 0;
      for (const a of [total, t]) {
        a.items++;
        a.producerItems += producerItems;
        a.records += entry.recordCount;
        a.bytes += entry.sizeBytes;
      }
      t.objects.add(entry.objectKey);
      commitTimes.set(entry.objectKey, Math.min(commitTimes.get(entry.objectKey) ?? Number.POSITIVE_INFINITY, entry.appendTime));
    }
  }
  total.commits = commitTimes.size;
  const minutes = Math.ceil(windowMs / MINUTE_MS);
  const firstMinute = Math.floor(checkedAt / MINUTE_MS) * MINUTE_MS - (minutes - 1) * MINUTE_MS;
  const perMinute = Array.from({ length: minutes }, (_, i) => ({ minute: firstMinute + i * MINUTE_MS, commits: 0 }));
  for (const at of commitTimes.values()) {
    const slot = Math.floor((at - firstMinute) / MINUTE_MS);
    if (slot >= 0 && slot < minutes) perMinute[slot]!.commits++;
  }
  return {
    checkedAt,
    windowMs,
    objects,
    commits: total,
    topics: [...perTopic].map(([topic, { objects: touched, ...activity }]) => ({ topic, ...activity, commits: touched.size })),
    perMinute,
    rolledItems,
    runs: await deps.runs.last(MAINTENANCE_STEPS),
  };
}
