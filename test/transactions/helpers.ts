/** Shared pieces of the transaction tests: topics, groups, reading a topic whole, and state read back. */
import { committedOffsetsOf } from '../../lib/client/admin-groups.js';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Kafkaless } from '../../lib/client/kafkaless.js';
import { call } from '../../lib/client/transport.js';
import type { TestKafkaless } from '../support/embedded.js';

export async function createTopic(k: Kafkaless, name: string, partitions = 1): Promise<string> {
  await k.admin().createTopics({ topics: [{ topic: name, numPartitions: partitions }] });
  return name;
}

/** Makes a consumer group exist, with nothing consumed yet, by a commit no member makes. */
export async function createGroup(k: Kafkaless, groupId: string, topic: string, partitions: number): Promise<void> {
  const offsets = Array.from({ length: partitions }, (_, partition) => ({ topic, partition, offset: 0 }));
  await call(k.transport, 'group', { action: 'commitOffsets', groupId, offsets });
}

export async function committedOffsets(k: Kafkaless, groupId: string, topic: string): Promise<Map<number, number>> {
  const offsets = await k
    .admin()
    .fetchOffsets({ groupId, topics: [topic] })
    .catch((err: unknown) => {
      if ((err as { code?: string }).code === 'GroupIdNotFound') return [];
      throw err;
    });
  return new Map(committedOffsetsOf(offsets).map((o) => [o.partition, o.offset]));
}

export async function highWatermarks(k: Kafkaless, topic: string): Promise<number[]> {
  const [d] = await k.admin().describeTopics({ topics: [topic] });
  return d!.partitions.map((p) => p.highWatermark);
}

export interface ReadValue {
  readonly partition: number;
  readonly offset: number;
  readonly value: string;
}

/** Every record of the topic up to its high watermarks, as a read_committed consumer sees it. */
export async function readAll(k: Kafkaless, topic: string): Promise<ReadValue[]> {
  const hws = await highWatermarks(k, topic);
  const consumer = k.consumer({ 'auto.offset.reset': 'earliest', 'isolation.level': 'read_committed' });
  consumer.assign(hws.map((_, partition) => ({ topic, partition })));
  const out: ReadValue[] = [];
  const total = hws.reduce((a, b) => a + b, 0);
  for (let round = 0; out.length < total && round < 1000; round++) {
    for (const r of await consumer.poll({ timeoutMs: 50 })) out.push({ partition: r.partition, offset: r.offset, value: r.value?.toString() ?? '' });
  }
  return out;
}

export async function scanTable(t: TestKafkaless, table: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await t.clients.dynamodb.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: startKey as never }));
    items.push(...(out.Items ?? []).map((i) => unmarshall(i)));
    startKey = out.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

/** Registry items by object key: their live references. */
export async function registryRefs(t: TestKafkaless): Promise<Map<string, number>> {
  return new Map((await scanTable(t, t.tables.objects)).map((i) => [String(i.key), Number(i.refs)]));
}

/** Object keys the batch index points at. */
export async function indexedObjects(t: TestKafkaless): Promise<Set<string>> {
  return new Set((await scanTable(t, t.tables.batches)).map((i) => String(i.objectKey)));
}

/** Staged items left in the producers table (of any transactional id). */
export async function stagedItems(t: TestKafkaless): Promise<Record<string, unknown>[]> {
  return (await scanTable(t, t.tables.producers)).filter((i) => String(i.sk).startsWith('staged#'));
}

/** Index items at or above their partition's high watermark, or heads still locked: none may remain after recovery. */
export async function strayCommitState(t: TestKafkaless): Promise<{ locked: number; aboveHighWatermark: number }> {
  const heads = new Map((await scanTable(t, t.tables.partitions)).map((h) => [String(h.pk), h]));
  const locked = [...heads.values()].filter((h) => h.txnLock !== undefined).length;
  const aboveHighWatermark = (await scanTable(t, t.tables.batches)).filter((b) => Number(b.baseOffset) >= Number(heads.get(String(b.pk))?.highWatermark ?? 0)).length;
  return { locked, aboveHighWatermark };
}
