/**
 * SQS and SNS on-failure destinations, as far as they can be tested without
 * those services (there is no local SQS or SNS, and the SDK is never mocked):
 * which destination a subscription's spec selects, the message body (AWS's
 * invocation record without `payload`), and the spec's validation. The send
 * itself is one SendMessage / Publish call (lib/triggers/message-destination.ts).
 */
import { describe, expect, it } from 'vitest';
import type { SubscriptionSpec } from '../../lib/names.js';
import { failureRecord } from '../../lib/triggers/failure-record.js';
import { failureDestination } from '../../lib/triggers/message-destination.js';
import type { DeliveredRecord } from '../../lib/triggers/msk-event.js';
import { failureObject } from '../../lib/triggers/s3-destination.js';
import { hasOnFailureDestination, parseSubscriptions } from '../../lib/triggers/subscriptions.js';

const source = { eventSource: 'aws:kafka' as const, eventSourceArn: 'arn:aws:kafka:us-east-1:kafkaless:cluster/kafkaless/topics', bootstrapServers: 'kafkaless' };

function record(offset: number): DeliveredRecord {
  return { topic: 'orders', partition: 2, offset, timestamp: Date.UTC(2026, 11, 4, 10, 0, offset), timestampType: 'CreateTime', key: Buffer.from('k'), value: Buffer.from(`v${offset}`), headers: [] };
}

const spec: SubscriptionSpec = {
  name: 'orders-sub',
  functionName: 'order-consumer',
  topics: ['orders'],
  groupId: 'kafkaless-orders-sub',
  batchSize: 100,
  maximumBatchingWindowMs: 500,
  startingPosition: 'LATEST',
  maximumRetryAttempts: -1,
  maximumRecordAgeMs: -1,
  bisectBatchOnFunctionError: false,
  reportBatchItemFailures: false,
  parallelism: 10,
  functionTimeoutMs: 30_000,
};

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/failed';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:failed';

describe('the on-failure destination of a subscription', () => {
  it('is the one its spec names, or none', () => {
    expect(failureDestination(spec)).toBeUndefined();
    expect(failureDestination({ ...spec, onFailureTopic: 'dlt' })).toEqual({ kind: 'topic', topic: 'dlt' });
    expect(failureDestination({ ...spec, onFailureBucket: 'failures' })).toEqual({ kind: 'bucket', bucket: 'failures' });
    expect(failureDestination({ ...spec, onFailureQueueUrl: QUEUE_URL })).toEqual({ kind: 'queue', queueUrl: QUEUE_URL });
    expect(failureDestination({ ...spec, onFailureSnsTopicArn: TOPIC_ARN })).toEqual({ kind: 'sns', topicArn: TOPIC_ARN });
    expect(hasOnFailureDestination({ ...spec, onFailureQueueUrl: QUEUE_URL })).toBe(true);
  });

  it('is read from the environment: one at most, a queue by URL, a topic by ARN', () => {
    const [queued] = parseSubscriptions(JSON.stringify([{ ...spec, onFailureQueueUrl: QUEUE_URL }]));
    expect(queued?.onFailureQueueUrl).toBe(QUEUE_URL);
    const [published] = parseSubscriptions(JSON.stringify([{ ...spec, onFailureSnsTopicArn: TOPIC_ARN }]));
    expect(published?.onFailureSnsTopicArn).toBe(TOPIC_ARN);
    expect(() => parseSubscriptions(JSON.stringify([{ ...spec, onFailureQueueUrl: QUEUE_URL, onFailureSnsTopicArn: TOPIC_ARN }]))).toThrow('one on-failure destination');
    expect(() => parseSubscriptions(JSON.stringify([{ ...spec, onFailureQueueUrl: 'failed' }]))).toThrow('not a list of subscriptions');
    expect(() => parseSubscriptions(JSON.stringify([{ ...spec, onFailureSnsTopicArn: 'failed' }]))).toThrow('not a list of subscriptions');
  });
});

describe('the message an SQS or SNS destination gets', () => {
  const records = [record(7), record(8), record(9)];
  const info = { subscription: 'orders-sub', reason: 'RetriesExhausted' as const, error: 'Error: boom', attempts: 11 };
  const now = Date.UTC(2026, 11, 4, 12, 30, 0);

  it("is AWS's invocation record of the batch, without the batch's event", () => {
    const message = JSON.parse(JSON.stringify(failureRecord(source, spec.functionName, records, info, now, { payload: false }))) as Record<string, unknown>;
    expect(message).not.toHaveProperty('payload');
    expect(message).toMatchObject({
      requestContext: { functionArn: 'order-consumer', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 11 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Error: boom' },
      version: '1.0',
      timestamp: '2026-12-04T12:30:00.000Z',
      KafkaBatchInfo: {
        batchSize: 3,
        bootstrapServers: 'kafkaless',
        recordsInfo: {
          'orders-2': { firstRecordOffset: '7', firstRecordTimestamp: '2026-12-04T10:00:07.000Z', lastRecordOffset: '9', lastRecordTimestamp: '2026-12-04T10:00:09.000Z' },
        },
      },
    });
    expect((message.requestContext as { requestId: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("is the S3 destination's object but for the payload, its size still counted", () => {
    const object = JSON.parse(failureObject(source, spec.functionName, records, info, now).body) as Record<string, unknown>;
    const message = failureRecord(source, spec.functionName, records, info, now, { payload: false });
    const { payload, requestContext, ...rest } = object as { payload: unknown; requestContext: Record<string, unknown> };
    expect(payload).toMatchObject({ eventSource: 'aws:kafka', records: { 'orders-2': [{ offset: 7 }, { offset: 8 }, { offset: 9 }] } });
    expect(JSON.parse(JSON.stringify({ ...message, requestContext: { ...message.requestContext, requestId: requestContext.requestId } }))).toEqual({ ...rest, requestContext });
    expect(message.KafkaBatchInfo.payloadSize).toBe(Buffer.byteLength(JSON.stringify(payload)));
  });

  it('says RecordAgeExceeded for expired records, with no function error when there was none', () => {
    const message = failureRecord(source, spec.functionName, [record(1)], { subscription: 'orders-sub', reason: 'RecordExpired', attempts: 0 }, now, { payload: false });
    expect(message.requestContext.condition).toBe('RecordAgeExceeded');
    expect(message.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
  });
});
