/**
 * Validates a whole produce request before any write: every topic exists,
 * every partition is in range and named once, every batch is valid.
 */
import { KafkalessError } from '../../errors.js';
import { incrementSequence } from '../../log/index.js';
import type { ProduceRequest } from '../../protocol/log-requests.js';
import { resolveTopicConfig } from '../../protocol/topic-config.js';
import { validateTopicName } from '../../protocol/topic-name.js';
import { topicPartitionKey } from '../../protocol/topic-partition-key.js';
import type { BatchLocation } from '../../storage/batch-index.js';
import type { TopicRecord } from '../../storage/topic-store.js';
import type { TopicCache } from '../topic-cache.js';
import { validateBatch, type ValidatedBatch } from './validate-batch.js';

export interface PreparedEntry {
  /** Position in the request, so replies keep its order. */
  readonly index: number;
  readonly topic: TopicRecord;
  readonly partition: number;
  readonly batch: ValidatedBatch;
  readonly idempotent: boolean;
  readonly lastSequence: number;
  readonly logAppendTime: number;
}

export async function prepareEntries(request: ProduceRequest, topics: TopicCache, nowMs: number): Promise<PreparedEntry[]> {
  const seen = new Set<string>();
  const prepared: PreparedEntry[] = [];
  for (const [index, entry] of request.entries.entries()) {
    validateTopicName(entry.topic);
    const context = { topic: entry.topic, partition: entry.partition };
    const topic = await topics.require(entry.topic);
    if (entry.partition >= topic.partitions) {
      throw new KafkalessError('UnknownTopicOrPartition', `Topic '${entry.topic}' has ${topic.partitions} partition(s); partition ${entry.partition} does not exist.`, { context });
    }
    const key = topicPartitionKey(entry.topic, entry.partition);
    if (seen.has(key)) throw new KafkalessError('InvalidRequest', `Partition ${entry.partition} of '${entry.topic}' appears twice in one request`, { context });
    seen.add(key);
    const config = resolveTopicConfig(topic.configs);
    const batch = await validateBatch(Buffer.from(entry.batch, 'base64'), config, context, nowMs, request.transaction !== undefined);
    const idempotent = batch.header.producerId >= 0;
    prepared.push({
      index,
      topic,
      partition: entry.partition,
      batch,
      idempotent,
      lastSequence: idempotent ? incrementSequence(batch.header.baseSequence, batch.header.lastOffsetDelta) : -1,
      logAppendTime: config.messageTimestampType === 'LogAppendTime' ? batch.maxTimestamp : -1,
    });
  }
  return prepared;
}

/** Splits entries into commits that each fit one DynamoDB transaction. */
export function planCommits(entries: readonly PreparedEntry[], maxItems: number): PreparedEntry[][] {
  const commits: PreparedEntry[][] = [];
  let current: PreparedEntry[] = [];
  let topics = new Set<string>();
  let items = 1;
  for (const entry of entries) {
    const cost = (entry.idempotent ? 3 : 2) + (topics.has(entry.topic.name) ? 0 : 1);
    if (current.length > 0 && items + cost > maxItems) {
      commits.push(current);
      current = [];
      topics = new Set();
      items = 1;
    }
    current.push(entry);
    items += (entry.idempotent ? 3 : 2) + (topics.has(entry.topic.name) ? 0 : 1);
    topics.add(entry.topic.name);
  }
  if (current.length > 0) commits.push(current);
  return commits;
}

/** Where a prepared batch lies in its object and what the index says of it. */
export function batchLocation(e: PreparedEntry, objectKey: string, position: number): BatchLocation {
  const h = e.batch.header;
  return {
    objectKey,
    position,
    sizeBytes: e.batch.bytes.length,
    recordCount: h.records.length,
    firstTimestamp: e.batch.firstTimestamp,
    maxTimestamp: e.batch.maxTimestamp,
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
  };
}
