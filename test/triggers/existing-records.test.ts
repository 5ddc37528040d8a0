/**
 * A subscription created on a topic that already holds records starts on
 * them with no new append and nothing polling the log: the local stack's
 * start (lib/local/subscription-wake.ts) has the trigger wake the subscribed
 * partitions' heads, the partitions table's stream (DynamoDB Local, read by
 * the local stream mapping) carries the wakes to the trigger, which delivers
 * TRIM_HORIZON from the oldest record, AT_TIMESTAMP from its time, and
 * LATEST nothing. The log is left as it was. The trigger and the function run
 * in this process; the broker over DynamoDB Local and the S3 server.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEAD_CHANGE_FILTER } from '../../lib/infra/subscription-trigger.js';
import { runStreamMapping, type RunningMapping } from '../../lib/local/stream-mapping.js';
import { LocalStreams } from '../../lib/local/streams-api.js';
import { wakeSubscriptions } from '../../lib/local/subscription-wake.js';
import type { SubscriptionSpec } from '../../lib/names.js';
import { PartitionHeads } from '../../lib/storage/partition-heads.js';
import { wakeHead } from '../../lib/storage/head-wake.js';
import { LeaseStore } from '../../lib/storage/lease-store.js';
import { createTriggerHandler, type KafkaEvent, type TriggerDeps } from '../../lib/triggers/index.js';
import { call } from '../../lib/client/transport.js';
import type { MetadataReply } from '../../lib/protocol/log-replies.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { testAwsEndpoints } from '../support/services.js';
import { inProcessInvoker } from './in-process-function.js';

let k: TestKafkaless;
let mapping: RunningMapping | undefined;
const topic = `existing-${randomUUID().slice(0, 8)}`;
const T0 = Date.UTC(2026, 0, 1);
/** Offsets each subscription's function received, per partition. */
const received = new Map<string, number[]>();

function spec(name: string, overrides: Partial<SubscriptionSpec>): SubscriptionSpec {
  return {
    name,
    functionName: name,
    topics: [topic],
    groupId: `group-${name}-${topic}`,
    batchSize: 2,
    maximumBatchingWindowMs: 0,
    startingPosition: 'TRIM_HORIZON',
    maximumRetryAttempts: -1,
    maximumRecordAgeMs: -1,
    bisectBatchOnFunctionError: false,
    reportBatchItemFailures: false,
    parallelism: 10,
    functionTimeoutMs: 2000,
    ...overrides,
  };
}

const specs = [spec('oldest', {}), spec('since', { startingPosition: 'AT_TIMESTAMP', startingPositionTimestampMs: T0 + 2 }), spec('latest', { startingPosition: 'LATEST' })];

beforeAll(async () => {
  k = await createTestKafkaless();
  await k.kafkaless.admin().createTopics({ topics: [{ topic, numPartitions: 3 }] });
  const producer = k.kafkaless.producer();
  await producer.send({ topic, messages: [0, 1, 2, 3].map((i) => ({ value: `p0-${i}`, partition: 0, timestamp: String(T0 + i) })) });
  await producer.send({ topic, messages: [0, 1, 2].map((i) => ({ value: `p1-${i}`, partition: 1, timestamp: String(T0 + i) })) });
  await producer.disconnect();
  // The records were appended before the stream existed: no stream record will ever name them.
  await k.clients.dynamodb.send(new UpdateTableCommand({ TableName: k.tables.partitions, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));
});

afterAll(async () => {
  await mapping?.stop();
  await k?.close();
});

function deps(): TriggerDeps {
  const recording = (name: string) =>
    inProcessInvoker(async (event) => {
      for (const [key, records] of Object.entries((event as KafkaEvent).records)) {
        const seen = received.get(`${name}/${key}`) ?? [];
        received.set(`${name}/${key}`, [...seen, ...records.map((r) => r.offset)]);
      }
      return {};
    });
  return {
    broker: k.transport,
    invoke: (functionName, payload) => recording(functionName)(functionName, payload),
    leases: new LeaseStore(k.clients.dynamodb, k.tables.partitions),
    source: { eventSource: 'aws:kafka', eventSourceArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/kafkaless/test', bootstrapServers: 'kafkaless' },
    owner: randomUUID(),
    now: Date.now,
    sleep: (ms) => sleep(Math.min(ms, 20)),
    random: Math.random,
    log: () => undefined,
    wakeHead: (topicId, partition) => wakeHead(k.clients.dynamodb, k.tables.partitions, topicId, partition),
  };
}

describe('a subscription on a topic that already holds records', () => {
  it('is delivered them when the local stack starts serving it, with no new append', async () => {
    const trigger = createTriggerHandler(deps, specs);
    const invokeTrigger = inProcessInvoker((event) => trigger(event));
    const { topics } = await call<MetadataReply>(k.transport, 'fetch', { action: 'metadata', topics: [topic] });
    const heads = new PartitionHeads(k.clients.dynamodb, k.tables.partitions);
    const before = await heads.getMany(topics[0]!.topicId, [0, 1, 2]);

    mapping = runStreamMapping({
      mapping: { logicalId: 'TriggerHeadStream', functionName: 'trigger', tableName: k.tables.partitions, batchSize: 100, maximumBatchingWindowSeconds: 0, startingPosition: 'TRIM_HORIZON', filterPatterns: [HEAD_CHANGE_FILTER], reportBatchItemFailures: true },
      streams: new LocalStreams(testAwsEndpoints().dynamodb, k.clients.dynamodb),
      region: testAwsEndpoints().region,
      invoke: invokeTrigger,
      log: () => undefined,
    });
    await wakeSubscriptions(invokeTrigger, 'trigger');

    const want = { [`oldest/${topic}-0`]: [0, 1, 2, 3], [`oldest/${topic}-1`]: [0, 1, 2], [`since/${topic}-0`]: [2, 3], [`since/${topic}-1`]: [2] };
    const done = (): boolean => Object.entries(want).every(([key, offsets]) => (received.get(key)?.length ?? 0) >= offsets.length);
    while (!done()) await sleep(50);
    expect(Object.fromEntries([...received].sort())).toEqual(Object.fromEntries(Object.entries(want).sort()));

    // Partition 2 was never appended to: no head, nothing woken. The others' heads are as they were.
    const after = await heads.getMany(topics[0]!.topicId, [0, 1, 2]);
    expect(after).toEqual(before);
    expect(after[2]!.exists).toBe(false);
  });
});
