/** What the trigger function's work is given: the broker, a way to invoke users' functions, leases, clock. */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '../broker/dispatch.js';
import type { Transport } from '../client/transport.js';
import type { LeaseStore } from '../storage/lease-store.js';
import type { InvocationResult } from './invocation-outcome.js';
import type { KafkaEventSourceInfo } from './msk-event.js';

export interface TriggerDeps {
  /** The broker's functions (in process: the embedded transport). */
  readonly broker: Transport;
  /** Invokes a user's function synchronously (RequestResponse) with this JSON payload. */
  readonly invoke: (functionName: string, payload: string) => Promise<InvocationResult>;
  /** Per (subscription, partition) delivery leases, in the partitions table. */
  readonly leases: LeaseStore;
  readonly source: KafkaEventSourceInfo;
  /** Who holds leases: unique per trigger invocation. */
  readonly owner: string;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly log: Logger;
  /** Wakes a partition's subscriptions without appending (lib/storage/head-wake.ts); false when it has no head (no records). */
  readonly wakeHead?: (topicId: string, partition: number) => Promise<boolean>;
  /** For an S3 on-failure destination. */
  readonly s3?: S3Client;
  /** For an SQS on-failure destination. */
  readonly sqs?: SQSClient;
  /** For an SNS on-failure destination. */
  readonly sns?: SNSClient;
}
