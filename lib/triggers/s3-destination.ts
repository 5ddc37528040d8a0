/**
 * An S3 bucket as a subscription's on-failure destination, as AWS's Kafka
 * event source mappings write one: per given-up batch, one object holding
 * the invocation record (what failed, why, the records' offset range) and
 * the batch's event itself (`payload`), under
 * `aws/lambda/<subscription>/<topic>-<partition>/YYYY/MM/DD/<time>-<uuid>`.
 * Written before the offset moves past the records (at least once: a crash
 * between the two writes a second object).
 */
import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { failureObjectPrefix } from '../names.js';
import { ObjectStore } from '../storage/object-store.js';
import type { DeadLetterInfo } from './dead-letter.js';
import { buildKafkaEvent, recordsKey, type DeliveredRecord, type KafkaEventSourceInfo } from './msk-event.js';


export interface FailureObject {
  readonly key: string;
  readonly body: string;
}

/** AWS's condition names. */
const CONDITIONS = { RetriesExhausted: 'RetryAttemptsExhausted', RecordExpired: 'RecordAgeExceeded' } as const;

export function failureObject(source: KafkaEventSourceInfo, functionName: string, records: readonly DeliveredRecord[], info: DeadLetterInfo, nowMs: number): FailureObject {
  const first = records[0]!;
  const last = records[records.length - 1]!;
  const payload = buildKafkaEvent(source, records);
  const time = new Date(nowMs).toISOString();
  const record = {
    requestContext: { requestId: randomUUID(), functionArn: functionName, condition: CONDITIONS[info.reason], approximateInvokeCount: info.attempts },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(info.error !== undefined ? { functionError: info.error } : {}) },
    version: '1.0',
    timestamp: time,
    KafkaBatchInfo: {
      batchSize: records.length,
      bootstrapServers: source.bootstrapServers,
      payloadSize: Buffer.byteLength(JSON.stringify(payload)),
      recordsInfo: {
        [recordsKey(first.topic, first.partition)]: {
          firstRecordOffset: String(first.offset),
          firstRecordTimestamp: new Date(first.timestamp).toISOString(),
          lastRecordOffset: String(last.offset),
          lastRecordTimestamp: new Date(last.timestamp).toISOString(),
        },
      },
    },
    payload,
  };
  const [day] = time.split('T');
  const key = `${failureObjectPrefix(info.subscription)}${recordsKey(first.topic, first.partition)}/${day!.replaceAll('-', '/')}/${time.replaceAll(':', '.')}-${randomUUID()}`;
  return { key, body: JSON.stringify(record) };
}

export async function putFailureObject(s3: S3Client, bucket: string, object: FailureObject): Promise<void> {
  await new ObjectStore(s3, bucket).put(object.key, Buffer.from(object.body));
}
