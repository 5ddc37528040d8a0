/**
 * A sink connector on a real subscription delivery: the trigger's own
 * deliverPartition, whose invoke runs the connector's handler in this
 * process (as the local Lambda server would run its bundle), over DynamoDB
 * Local and the S3 server.
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { jsonLogger } from '../../lib/broker/dispatch.js';
import { parseConnectorConfig, type RawConnectorConfig } from '../../lib/connect/config/connector-config.js';
import { createSinkHandler } from '../../lib/connect/sink-handler.js';
import { NO_FAULTS, type FaultInjector } from '../../lib/faults.js';
import type { SubscriptionSpec } from '../../lib/names.js';
import { ConnectorStore } from '../../lib/storage/connector-store.js';
import { LeaseStore } from '../../lib/storage/lease-store.js';
import { createTriggerHandler, deliverPartition, type DeliveryReport, type TriggerDeps } from '../../lib/triggers/index.js';
import type { InvocationResult } from '../../lib/triggers/invocation-outcome.js';
import { createTestBucket } from '../support/services.js';
import type { TestKafkaless } from '../support/embedded.js';
import { subscriptionSpecFor } from '../support/subscription-spec.js';

export interface SinkUnderTest {
  readonly name: string;
  readonly bucket: string;
  readonly store: ConnectorStore;
  /** Runs one trigger wake of the partition; `invoke` may be wrapped (to crash after the sink answered, say). */
  deliver(partition?: number, wrap?: (inner: TriggerDeps['invoke']) => TriggerDeps['invoke']): Promise<DeliveryReport>;
  /** The trigger function's handler with this sink's subscription: what a wake event reaches. */
  trigger(event: unknown): Promise<unknown>;
  readonly spec: SubscriptionSpec;
  keys(): Promise<string[]>;
  object(key: string): Promise<Buffer>;
}

export async function sinkUnderTest(k: TestKafkaless, config: RawConnectorConfig, options: { faults?: FaultInjector } = {}): Promise<SinkUnderTest> {
  const name = `sink-${randomUUID().slice(0, 8)}`;
  const bucket = await createTestBucket();
  const parsed = parseConnectorConfig({ name, 's3.bucket.name': bucket, ...config });
  if (parsed.connectorClass !== 'S3Sink') throw new Error('not an S3 sink');
  const store = new ConnectorStore(k.clients.dynamodb, k.tables.partitions);
  const quiet = (): void => undefined;
  const handler = createSinkHandler({ s3: k.clients.s3, store, broker: k.transport, faults: options.faults ?? NO_FAULTS, now: Date.now, log: process.env.DEBUG_CONNECT ? jsonLogger : quiet }, parsed);
  const invoke = async (_fn: string, payload: string): Promise<InvocationResult> => {
    try {
      return { payload: JSON.stringify(await handler(JSON.parse(payload))) };
    } catch (err) {
      return { functionError: 'Unhandled', payload: JSON.stringify({ errorType: (err as Error).name, errorMessage: (err as Error).message }) };
    }
  };
  const spec = subscriptionSpecFor({
    name: `connect-${name}`,
    functionName: name,
    topics: [...parsed.topics],
    ...(parsed.topicsRegex !== undefined ? { topicsRegex: parsed.topicsRegex } : {}),
    groupId: `connect-${name}`,
    parallelism: parsed.tasksMax,
    functionTimeoutMs: 5000,
    connector: name,
  });
  const list = async (): Promise<string[]> => {
    const reply = await k.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    return (reply.Contents ?? []).map((o) => o.Key ?? '').sort();
  };
  const deps = (wrapped: TriggerDeps['invoke']): TriggerDeps => ({
    broker: k.transport,
    invoke: wrapped,
    leases: new LeaseStore(k.clients.dynamodb, k.tables.partitions),
    source: { eventSource: 'aws:kafka', eventSourceArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/kafkaless/test', bootstrapServers: 'kafkaless' },
    owner: randomUUID(),
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 10))),
    random: Math.random,
    log: quiet,
  });
  const triggerHandler = createTriggerHandler(() => deps(invoke), [spec]);
  return {
    name,
    bucket,
    store,
    spec,
    trigger: (event) => triggerHandler(event),
    deliver: (partition = 0, wrap = (inner) => inner) => deliverPartition(deps(wrap(invoke)), spec, { topic: parsed.topics[0]!, partition }, { deadlineMs: Date.now() + 60_000 }),
    keys: list,
    async object(key) {
      const reply = await k.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await reply.Body!.transformToByteArray());
    },
  };
}

/** A new topic (and its `-dlt`) with one partition, holding `values` (strings, or null for a tombstone). */
export async function topicWith(k: TestKafkaless, values: readonly (string | null)[], options: { timestamps?: readonly number[] } = {}): Promise<string> {
  const topic = `t-${randomUUID().slice(0, 8)}`;
  await k.kafkaless.admin().createTopics({ topics: [{ topic, numPartitions: 1 }, { topic: `${topic}-dlt`, numPartitions: 1 }] });
  await append(k, topic, values, options);
  return topic;
}

export async function append(k: TestKafkaless, topic: string, values: readonly (string | null)[], options: { timestamps?: readonly number[] } = {}): Promise<void> {
  if (values.length === 0) return;
  const producer = k.kafkaless.producer();
  await producer.send({ topic, messages: values.map((value, i) => ({ value, partition: 0, ...(options.timestamps?.[i] !== undefined ? { timestamp: options.timestamps[i] } : {}) })) });
  await producer.disconnect();
}

export function jsonLines(body: Buffer): unknown[] {
  return body.toString('utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown);
}
