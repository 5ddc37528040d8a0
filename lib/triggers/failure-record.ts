/**
 * AWS's invocation record of a given-up Kafka batch, as a Kafka event
 * source mapping sends it to its on-failure destination: what failed and why
 * (`requestContext.condition`, the last function error), and the records'
 * offset and time range (`KafkaBatchInfo`). An S3 destination's object adds
 * the batch's event as `payload`; SQS and SNS destinations get the record
 * without it, as AWS sends them (a message is at most 256 KiB). Pure but for
 * the request id.
 */
import { randomUUID } from 'node:crypto';
import type { DeadLetterInfo } from './dead-letter.js';
import { buildKafkaEvent, recordsKey, type DeliveredRecord, type KafkaEvent, type KafkaEventSourceInfo } from './msk-event.js';

/** AWS's condition names. */
const CONDITIONS = { RetriesExhausted: 'RetryAttemptsExhausted', RecordExpired: 'RecordAgeExceeded' } as const;

export interface FailureRecord {
  readonly requestContext: { readonly requestId: string; readonly functionArn: string; readonly condition: string; readonly approximateInvokeCount: number };
  readonly responseContext: { readonly statusCode: number; readonly executedVersion: string; readonly functionError?: string };
  readonly version: '1.0';
  readonly timestamp: string;
  readonly KafkaBatchInfo: {
    readonly batchSize: number;
    readonly bootstrapServers: string;
    readonly payloadSize: number;
    readonly recordsInfo: Readonly<Record<string, { readonly firstRecordOffset: string; readonly firstRecordTimestamp: string; readonly lastRecordOffset: string; readonly lastRecordTimestamp: string }>>;
  };
  /** S3 destinations only. */
  readonly payload?: KafkaEvent;
}

export interface FailureRecordOptions {
  /** The batch's event in the record (an S3 destination), or not (SQS, SNS). */
  readonly payload: boolean;
}

export function failureRecord(source: KafkaEventSourceInfo, functionName: string, records: readonly DeliveredRecord[], info: DeadLetterInfo, nowMs: number, options: FailureRecordOptions): FailureRecord {
  const first = records[0]!;
  const last = records[records.length - 1]!;
  const payload = buildKafkaEvent(source, records);
  return {
    requestContext: { requestId: randomUUID(), functionArn: functionName, condition: CONDITIONS[info.reason], approximateInvokeCount: info.attempts },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(info.error !== undefined ? { functionError: info.error } : {}) },
    version: '1.0',
    timestamp: new Date(nowMs).toISOString(),
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
    ...(options.payload ? { payload } : {}),
  };
}
