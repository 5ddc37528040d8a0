/** Shared pieces of the log-path tests: raw produce requests, state read back. */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { encodeRecordBatch, type EncodeBatchOptions, type RecordInput } from '../../lib/log/index.js';
import { call, type Transport } from '../../lib/client/transport.js';
import type { InitProducerIdReply, ProduceReply } from '../../lib/protocol/log-replies.js';
import type { TestKafkaless } from '../support/embedded.js';

export function records(values: readonly string[], timestamp = Date.now()): RecordInput[] {
  return values.map((v) => ({ key: null, value: Buffer.from(v), headers: [], timestamp }));
}

export async function batchBase64(values: readonly string[], options: EncodeBatchOptions = {}): Promise<string> {
  return (await encodeRecordBatch(records(values), options)).toString('base64');
}

export async function produceRaw(transport: Transport, topic: string, partition: number, batch: string): Promise<ProduceReply['entries'][number]> {
  const reply = await call<ProduceReply>(transport, 'produce', { action: 'produce', entries: [{ topic, partition, batch }] });
  return reply.entries[0]!;
}

export async function initProducerId(transport: Transport): Promise<InitProducerIdReply> {
  return call<InitProducerIdReply>(transport, 'produce', { action: 'initProducerId' });
}

export interface StateSnapshot {
  readonly heads: unknown[];
  readonly batches: number;
  readonly objects: number;
  readonly registry: number;
}

/** What a request could have changed: heads, index items, objects in S3, registry items. */
export async function snapshot(t: TestKafkaless): Promise<StateSnapshot> {
  const scan = async (table: string) => (await t.clients.dynamodb.send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? [];
  const objects = await t.clients.s3.send(new ListObjectsV2Command({ Bucket: t.bucket }));
  const heads = (await scan(t.tables.partitions)).map((h) => JSON.stringify(h)).sort();
  return {
    heads,
    batches: (await scan(t.tables.batches)).length,
    objects: objects.KeyCount ?? 0,
    registry: (await scan(t.tables.objects)).length,
  };
}
