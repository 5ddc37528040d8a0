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
import { failureRecord } from './failure-record.js';
import { recordsKey, type DeliveredRecord, type KafkaEventSourceInfo } from './msk-event.js';


export interface FailureObject {
  readonly key: string;
  readonly body: string;
}

export function failureObject(source: KafkaEventSourceInfo, functionName: string, records: readonly DeliveredRecord[], info: DeadLetterInfo, nowMs: number): FailureObject {
  const first = records[0]!;
  const record = failureRecord(source, functionName, records, info, nowMs, { payload: true });
  const time = record.timestamp;
  const [day] = time.split('T');
  const key = `${failureObjectPrefix(info.subscription)}${recordsKey(first.topic, first.partition)}/${day!.replaceAll('-', '/')}/${time.replaceAll(':', '.')}-${randomUUID()}`;
  return { key, body: JSON.stringify(record) };
}

export async function putFailureObject(s3: S3Client, bucket: string, object: FailureObject): Promise<void> {
  await new ObjectStore(s3, bucket).put(object.key, Buffer.from(object.body));
}
