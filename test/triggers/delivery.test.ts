/**
 * Delivery of a partition to a subscribed function: a real function served
 * by the local Lambda server, the broker in process over DynamoDB Local and
 * the S3 server. Every record is delivered or dead-lettered, in order within
 * the partition, through retries, bisection, partial batch responses,
 * timeouts and record age.
 */
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../lib/aws/clients.js';
import { call } from '../../lib/client/transport.js';
import { startLambdaServer, type LambdaServer } from '../../lib/local/lambda-server.js';
import type { SubscriptionSpec } from '../../lib/names.js';
import type { MetadataReply } from '../../lib/protocol/log-replies.js';
import { LeaseStore } from '../../lib/storage/lease-store.js';
import { createTriggerHandler, deliverPartition, DEAD_LETTER_HEADERS, lambdaInvoker, type TriggerDeps } from '../../lib/triggers/index.js';
import { committedOffset, fetchRecords } from '../../lib/triggers/partition-log.js';
import { createTestKafkaless, type TestKafkaless } from '../support/embedded.js';
import { writeSubscriberBundle } from './subscriber-bundle.js';
import { subscriptionSpecFor } from '../support/subscription-spec.js';

let k: TestKafkaless;
let server: LambdaServer;
let lambda: LambdaClient;
let root: string;

beforeAll(async () => {
  k = await createTestKafkaless();
  root = mkdtempSync(join(tmpdir(), 'kafkaless-triggers-'));
  server = await startLambdaServer({
    region: LOCAL_REGION,
    functions: [{ name: 'subscriber', codeDir: writeSubscriberBundle(root), handler: 'index.handler', timeoutSeconds: 2, memorySizeMb: 256, environment: { LOG_DIR: root } }],
  });
  lambda = new LambdaClient({ region: LOCAL_REGION, endpoint: server.endpoint, credentials: { ...LOCAL_CREDENTIALS } });
});

afterAll(async () => {
  lambda?.destroy();
  await server?.close();
  await k?.close();
  rmSync(root, { recursive: true, force: true });
});

function deps(): TriggerDeps {
  return {
    broker: k.transport,
    invoke: lambdaInvoker(lambda),
    leases: new LeaseStore(k.clients.dynamodb, k.tables.partitions),
    source: { eventSource: 'aws:kafka', eventSourceArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/kafkaless/test', bootstrapServers: 'kafkaless' },
    owner: randomUUID(),
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
    random: Math.random,
    log: () => undefined,
  };
}

function spec(topic: string, overrides: Partial<SubscriptionSpec> = {}): SubscriptionSpec {
  return subscriptionSpecFor({ name: `sub-${topic}`, functionName: 'subscriber', topics: [topic], groupId: `group-${topic}`, parallelism: 10, ...overrides });
}

async function topicWith(values: readonly string[], options: { timestamp?: number } = {}): Promise<string> {
  const topic = `t-${randomUUID().slice(0, 8)}`;
  await k.kafkaless.admin().createTopics({ topics: [{ topic, numPartitions: 1 }, { topic: `${topic}-dlt`, numPartitions: 1 }] });
  const producer = k.kafkaless.producer();
  await producer.send({ topic, messages: values.map((value) => ({ value, partition: 0, ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}) })) });
  await producer.disconnect();
  return topic;
}

interface Call {
  readonly key: string;
  readonly offsets: number[];
  readonly outcome: 'ok' | 'error' | 'partial' | 'timeout';
  readonly failed?: string[];
}

function callsOf(topic: string): Call[] {
  const file = join(root, 'calls.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Call)
    .filter((c) => c.key === `${topic}-0`);
}

/** Offsets the function processed, in the order it processed them (partial: all but those it named failed). */
function processed(calls: readonly Call[]): number[] {
  return calls.flatMap((c) => (c.outcome === 'ok' ? c.offsets : c.outcome === 'partial' ? c.offsets.filter((o) => !(c.failed ?? []).includes(`${c.key}@${o}`)) : []));
}

async function deadLettered(topic: string): Promise<{ offset: string; reason: string; value: string }[]> {
  const fetched = await fetchRecords(k.transport, { topic: `${topic}-dlt`, partition: 0 }, 0, 1000);
  if (fetched.kind !== 'records') throw new Error('dead-letter topic out of range');
  const header = (r: (typeof fetched.records)[number], name: string) => r.headers.find((h) => h.key === name)?.value?.toString() ?? '';
  return fetched.records.map((r) => ({ offset: header(r, DEAD_LETTER_HEADERS.offset), reason: header(r, DEAD_LETTER_HEADERS.reason), value: r.value?.toString() ?? '' }));
}

const deadline = (): number => Date.now() + 120_000;
const tp = (topic: string) => ({ topic, partition: 0 });

describe('delivery to a subscribed function', () => {
  it('retries a failing batch until the function succeeds, and commits the group offset past it', async () => {
    const topic = await topicWith(['a', 'b', 'flaky', 'c', 'd', 'e']);
    const report = await deliverPartition(deps(), spec(topic, { batchSize: 3 }), tp(topic), { deadlineMs: deadline() });
    expect(report.status).toBe('caught-up');
    const calls = callsOf(topic);
    expect(calls.map((c) => c.outcome)).toEqual(['error', 'error', 'ok', 'ok']);
    expect(processed(calls)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await committedOffset(k.transport, `group-${topic}`, tp(topic))).toBe(6);
    expect(await deadLettered(topic)).toEqual([]);
  });

  it('bisects a failing batch down to the poison record, which alone goes to the dead-letter topic after its retries', async () => {
    const topic = await topicWith(['a', 'b', 'c', 'd', 'e', 'poison', 'f', 'g']);
    const s = spec(topic, { batchSize: 8, bisectBatchOnFunctionError: true, maximumRetryAttempts: 1, onFailureTopic: `${topic}-dlt` });
    const report = await deliverPartition(deps(), s, tp(topic), { deadlineMs: deadline() });
    expect(report).toMatchObject({ status: 'caught-up', deadLettered: 1 });
    expect(processed(callsOf(topic))).toEqual([0, 1, 2, 3, 4, 6, 7]);
    // The poison record was tried once alone, then retried once.
    expect(callsOf(topic).filter((c) => c.offsets.length === 1 && c.offsets[0] === 5).map((c) => c.outcome)).toEqual(['error', 'error']);
    expect(await deadLettered(topic)).toEqual([{ offset: '5', reason: 'RetriesExhausted', value: 'poison' }]);
    expect(await committedOffset(k.transport, `group-${topic}`, tp(topic))).toBe(8);
  });

  it('with ReportBatchItemFailures, commits what came before the first failed record, retries from it, and dead-letters only the records named failed', async () => {
    const topic = await topicWith(['a', 'b', 'c', 'partial', 'd', 'e']);
    const s = spec(topic, { reportBatchItemFailures: true, maximumRetryAttempts: 1, onFailureTopic: `${topic}-dlt` });
    await deliverPartition(deps(), s, tp(topic), { deadlineMs: deadline() });
    const calls = callsOf(topic);
    expect(calls.map((c) => [c.offsets, c.outcome])).toEqual([
      [[0, 1, 2, 3, 4, 5], 'partial'],
      [[3, 4, 5], 'partial'],
    ]);
    expect(await deadLettered(topic)).toEqual([{ offset: '3', reason: 'RetriesExhausted', value: 'partial' }]);
    expect(await committedOffset(k.transport, `group-${topic}`, tp(topic))).toBe(6);
  });

  it('retries a batch whose invocation timed out', async () => {
    const topic = await topicWith(['a', 'slow', 'b']);
    await deliverPartition(deps(), spec(topic), tp(topic), { deadlineMs: deadline() });
    expect(callsOf(topic).map((c) => c.outcome)).toEqual(['timeout', 'ok']);
    expect(processed(callsOf(topic))).toEqual([0, 1, 2]);
    expect(await committedOffset(k.transport, `group-${topic}`, tp(topic))).toBe(3);
  });

  it('sends records older than maximumRecordAgeMs to the dead-letter topic without invoking the function', async () => {
    const topic = await topicWith(['old-1', 'old-2'], { timestamp: Date.now() - 3_600_000 });
    await deliverPartition(deps(), spec(topic, { maximumRecordAgeMs: 60_000, onFailureTopic: `${topic}-dlt` }), tp(topic), { deadlineMs: deadline() });
    expect(callsOf(topic)).toEqual([]);
    expect((await deadLettered(topic)).map((r) => [r.offset, r.reason])).toEqual([
      ['0', 'RecordExpired'],
      ['1', 'RecordExpired'],
    ]);
    expect(await committedOffset(k.transport, `group-${topic}`, tp(topic))).toBe(2);
  });

  it('starts a LATEST subscription at the high watermark before the appends that woke it', async () => {
    const topic = await topicWith(['before-1', 'before-2', 'after']);
    await deliverPartition(deps(), spec(topic, { startingPosition: 'LATEST' }), tp(topic), { deadlineMs: deadline(), latestHint: 2 });
    expect(processed(callsOf(topic))).toEqual([2]);
  });

  it('starts an AT_TIMESTAMP subscription at the first record at or after its timestamp', async () => {
    const topic = await topicWith(['old'], { timestamp: Date.now() - 3_600_000 });
    const producer = k.kafkaless.producer();
    await producer.send({ topic, messages: [{ value: 'new', partition: 0 }] });
    await producer.disconnect();
    await deliverPartition(deps(), spec(topic, { startingPosition: 'AT_TIMESTAMP', startingPositionTimestampMs: Date.now() - 60_000 }), tp(topic), { deadlineMs: deadline() });
    expect(processed(callsOf(topic))).toEqual([1]);
  });

  it('stops when its time is spent, and the next wake-up resumes from the committed offset', async () => {
    const topic = await topicWith(['a', 'b', 'c', 'd', 'e']);
    const s = spec(topic, { batchSize: 2 });
    expect((await deliverPartition(deps(), s, tp(topic), { deadlineMs: Date.now() })).status).toBe('interrupted');
    expect(await committedOffset(k.transport, `group-${topic}`, tp(topic))).toBe(2);
    expect((await deliverPartition(deps(), s, tp(topic), { deadlineMs: deadline() })).status).toBe('caught-up');
    expect(processed(callsOf(topic))).toEqual([0, 1, 2, 3, 4]);
  });

  it('invokes the function only with records matching its filter criteria, and commits past the others', async () => {
    const topic = await topicWith(['{"type":"refund"}', '{"type":"order","total":5}', 'plain text', '{"type":"order","total":50}', '{"type":"refund"}']);
    const filterPatterns = [JSON.stringify({ value: { type: ['order'], total: [{ numeric: ['<', 10] }] } }), JSON.stringify({ value: [{ prefix: 'plain' }] })];
    const report = await deliverPartition(deps(), spec(topic, { filterPatterns }), tp(topic), { deadlineMs: deadline() });
    expect(report).toMatchObject({ status: 'caught-up', delivered: 2, filtered: 3, invocations: 1 });
    expect(callsOf(topic).map((c) => c.offsets)).toEqual([[1, 2]]);
    expect(await committedOffset(k.transport, `group-${topic}`, tp(topic))).toBe(5);
  });

  it('writes a batch it gave up on to an S3 on-failure destination, as AWS writes its failure records, then moves past it', async () => {
    const topic = await topicWith(['a', 'poison', 'b']);
    const s = spec(topic, { batchSize: 1, maximumRetryAttempts: 0, onFailureBucket: k.bucket });
    const report = await deliverPartition({ ...deps(), s3: k.clients.s3 }, s, tp(topic), { deadlineMs: deadline() });
    expect(report).toMatchObject({ status: 'caught-up', deadLettered: 1 });
    const listed = await k.clients.s3.send(new ListObjectsV2Command({ Bucket: k.bucket, Prefix: `aws/lambda/${s.name}/` }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([expect.stringMatching(new RegExp(`^aws/lambda/${s.name}/${topic}-0/\\d{4}/\\d{2}/\\d{2}/`))]);
    const object = await k.clients.s3.send(new GetObjectCommand({ Bucket: k.bucket, Key: listed.Contents![0]!.Key! }));
    const record = JSON.parse(await object.Body!.transformToString()) as {
      requestContext: { condition: string; approximateInvokeCount: number };
      responseContext: { functionError?: string };
      KafkaBatchInfo: { batchSize: number; recordsInfo: Record<string, { firstRecordOffset: string; lastRecordOffset: string }> };
      payload: { records: Record<string, { offset: number; value: string }[]> };
    };
    expect(record.requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 1 });
    expect(record.responseContext.functionError).toMatch(/poison at 1/);
    expect(record.KafkaBatchInfo).toMatchObject({ batchSize: 1, recordsInfo: { [`${topic}-0`]: { firstRecordOffset: '1', lastRecordOffset: '1' } } });
    expect(record.payload.records[`${topic}-0`]!.map((r) => [r.offset, Buffer.from(r.value, 'base64').toString()])).toEqual([[1, 'poison']]);
    expect(await committedOffset(k.transport, `group-${topic}`, tp(topic))).toBe(3);
  });

  it('leaves a partition alone while another invocation holds its lease', async () => {
    const topic = await topicWith(['a']);
    const s = spec(topic);
    const other = deps();
    await other.leases.acquire(`lease#sub#${s.name}#${topic}#0`, 'someone-else', Date.now(), 60_000);
    expect((await deliverPartition(deps(), s, tp(topic), { deadlineMs: deadline() })).status).toBe('busy');
    expect(callsOf(topic)).toEqual([]);
  });

  it('is woken by a stream batch of partition-head changes and reports none of them failed once delivered', async () => {
    const topic = await topicWith(['a', 'b']);
    const { topics } = await call<MetadataReply>(k.transport, 'fetch', { action: 'metadata', topics: [topic] });
    const pk = `${topics[0]!.topicId}#0`;
    const event = { Records: [{ eventName: 'INSERT', dynamodb: { Keys: { pk: { S: pk } }, NewImage: { pk: { S: pk }, highWatermark: { N: '2' } }, SequenceNumber: '42' } }] };
    const handler = createTriggerHandler(deps, [spec(topic)]);
    expect(await handler(event, { getRemainingTimeInMillis: () => 120_000 })).toEqual({ batchItemFailures: [] });
    expect(processed(callsOf(topic))).toEqual([0, 1]);
  });
});
