/**
 * The DynamoDB Streams source over DynamoDB Local: a table's stream, read
 * by the local event source mapping (as Lambda reads it), becomes change
 * records in a topic, every change once and in order per item key, across
 * a restarted mapping that hands the whole stream again from its trim
 * horizon.
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLogger } from '../../lib/broker/dispatch.js';
import { captureChanges } from '../../lib/connect/cdc/dynamodb-source.js';
import { parseConnectorConfig } from '../../lib/connect/config/connector-config.js';
import { runStreamMapping, type RunningMapping } from '../../lib/local/stream-mapping.js';
import { LocalStreams } from '../../lib/local/streams-api.js';
import { ConnectorStore } from '../../lib/storage/connector-store.js';
import { fetchRecords } from '../../lib/triggers/partition-log.js';
import type { InvocationResult } from '../../lib/triggers/invocation-outcome.js';
import { waitFor } from '../groups/wait-for.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { testAwsEndpoints } from '../support/services.js';

let k: TestKafkaless;

beforeAll(async () => {
  k = await createTestKafkaless();
});

afterAll(async () => {
  await k?.close();
});

interface Seen {
  readonly key: string;
  readonly value: { op: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null } | null;
}

async function topicRecords(topic: string, partitions: number): Promise<Map<string, Seen[]>> {
  const byKey = new Map<string, Seen[]>();
  for (let partition = 0; partition < partitions; partition++) {
    const fetched = await fetchRecords(k.transport, { topic, partition }, 0, 1000);
    if (fetched.kind !== 'records') throw new Error('out of range');
    for (const r of fetched.records) {
      const key = r.key!.toString();
      const list = byKey.get(key) ?? [];
      list.push({ key, value: r.value === null ? null : (JSON.parse(r.value.toString()) as Seen['value']) });
      byKey.set(key, list);
    }
  }
  return byKey;
}

describe('DynamoDB Streams source', () => {
  it('delivers every change of a table in order per key, once, across a restarted mapping', async () => {
    const table = `cdc-${randomUUID().slice(0, 8)}`;
    const ddb = k.clients.dynamodb;
    await ddb.send(new CreateTableCommand({ TableName: table, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));
    const topic = `changes-${randomUUID().slice(0, 8)}`;
    await k.kafkaless.admin().createTopics({ topics: [{ topic, numPartitions: 3 }] });
    const name = `cdc-${randomUUID().slice(0, 8)}`;
    const config = parseConnectorConfig({ name, 'connector.class': 'DynamoDbSource', topic, 'dynamodb.table.name': table });
    if (config.connectorClass !== 'DynamoDbSource') throw new Error('not a DynamoDB source');
    const deps = { broker: k.transport, store: new ConnectorStore(ddb, k.tables.partitions), now: Date.now, log: process.env.DEBUG_CONNECT ? jsonLogger : () => undefined };
    let skipped = 0;
    const invoke = async (_fn: string, payload: string): Promise<InvocationResult> => {
      try {
        const report = await captureChanges(deps, config, JSON.parse(payload));
        skipped += report.skipped;
        return { payload: JSON.stringify(report) };
      } catch (err) {
        return { functionError: 'Unhandled', payload: JSON.stringify({ errorMessage: (err as Error).message }) };
      }
    };
    const streams = new LocalStreams(testAwsEndpoints().dynamodb, ddb);
    const mapping = (): RunningMapping =>
      runStreamMapping({
        mapping: { logicalId: 'Cdc', functionName: name, tableName: table, batchSize: 4, maximumBatchingWindowSeconds: 0, startingPosition: 'TRIM_HORIZON', filterPatterns: [], reportBatchItemFailures: false },
        streams,
        region: testAwsEndpoints().region,
        invoke,
        log: () => undefined,
      });
    const put = (id: string, n: number) => ddb.send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, n: { N: String(n) } } }));
    const update = (id: string, n: number) => ddb.send(new UpdateItemCommand({ TableName: table, Key: { id: { S: id } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: String(n) } } }));
    const remove = (id: string) => ddb.send(new DeleteItemCommand({ TableName: table, Key: { id: { S: id } } }));
    const count = async (): Promise<number> => [...(await topicRecords(topic, 3)).values()].reduce((n, l) => n + l.length, 0);

    for (const id of ['a', 'b', 'c', 'd']) await put(id, 1);
    await update('a', 2);
    await remove('b');
    let running = mapping();
    await waitFor(async () => (await count()) === 7, 'six changes and a tombstone', 60_000, 100);
    await running.stop();

    // While the mapping is down: more changes; restarted, it hands the whole stream again from its trim horizon.
    await update('a', 3);
    await update('c', 2);
    await remove('d');
    running = mapping();
    await waitFor(async () => (await count()) === 11, 'every change once', 60_000, 100);
    await new Promise((resolve) => setTimeout(resolve, 500)); // nothing more arrives
    await running.stop();
    expect(skipped).toBeGreaterThanOrEqual(6); // the restarted mapping handed the first six changes again

    const byKey = await topicRecords(topic, 3);
    const ops = (id: string) => byKey.get(JSON.stringify({ id }))!.map((r) => (r.value === null ? 'tombstone' : `${r.value.op}:${String(r.value.before?.n ?? '-')}>${String(r.value.after?.n ?? '-')}`));
    expect(ops('a')).toEqual(['c:->1', 'u:1>2', 'u:2>3']);
    expect(ops('b')).toEqual(['c:->1', 'd:1>-', 'tombstone']);
    expect(ops('c')).toEqual(['c:->1', 'u:1>2']);
    expect(ops('d')).toEqual(['c:->1', 'd:1>-', 'tombstone']);
  });
});
