/**
 * `Kafkaless.subscribe` options, named as AWS's Kafka event source mapping
 * names them (CDK's `KafkaEventSourceProps`), their defaults, and their
 * validation (every problem gathered before throwing). Pure but for CDK's
 * Duration and Token.
 */
import { Duration, Token } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { patternProblems } from '../event-pattern.js';
import type { StartingPosition, SubscriptionSpec } from '../names.js';
import {
  MAX_NAME_CHARS,
  SUBSCRIPTION_BATCH_SIZE,
  SUBSCRIPTION_BATCHING_WINDOW_MS,
  SUBSCRIPTION_FILTERS_MAX,
  SUBSCRIPTION_PARALLELISM,
  SUBSCRIPTION_RECORD_AGE_MS,
  SUBSCRIPTION_RETRY_ATTEMPTS,
} from '../limits.js';

export type { StartingPosition } from '../names.js';

/** Where records a subscription gave up on go: a kafkaless topic, an S3 bucket, an SQS queue or an SNS topic (one of them). */
export type OnFailureDestination =
  | {
      /** A kafkaless topic (create it yourself): each record keeps its key, value and headers, plus `kafkaless.dlt.*` headers. */
      readonly topic: string;
      readonly bucket?: undefined;
      readonly queue?: undefined;
      readonly snsTopic?: undefined;
    }
  | {
      /**
       * An S3 bucket: one object per given-up batch, as AWS's Kafka event source mappings write one (the invocation
       * record and the batch's event), under `aws/lambda/<name>/`. The trigger is granted s3:PutObject there only.
       */
      readonly bucket: IBucket;
      readonly topic?: undefined;
      readonly queue?: undefined;
      readonly snsTopic?: undefined;
    }
  | {
      /**
       * An SQS queue: one message per given-up batch, AWS's invocation record without the batch's event (as AWS
       * sends it). The trigger is granted sqs:SendMessage on this queue only (and its KMS key's use, when the construct sees it).
       */
      readonly queue: IQueue;
      readonly topic?: undefined;
      readonly bucket?: undefined;
      readonly snsTopic?: undefined;
    }
  | {
      /**
       * An SNS topic: one message per given-up batch, AWS's invocation record without the batch's event (as AWS
       * sends it). The trigger is granted sns:Publish on this topic only (and its KMS key's use, when the construct sees it).
       */
      readonly snsTopic: ITopic;
      readonly topic?: undefined;
      readonly bucket?: undefined;
      readonly queue?: undefined;
    };

export interface SubscribeOptions {
  /** The kafkaless topics whose records the function receives. */
  readonly topics: readonly string[];
  /**
   * Unique in the construct: names the subscription's leases (and its default group id).
   * @default the function's construct id
   */
  readonly name?: string;
  /**
   * The consumer group whose committed offsets are the subscription's
   * position: `kafkaless groups describe`, lag and offset resets work on it.
   * Use it for this subscription only.
   * @default `kafkaless-<name>`
   */
  readonly groupId?: string;
  /**
   * Most records in one invocation (1 to 10,000).
   * @default 100
   */
  readonly batchSize?: number;
  /**
   * How long records may gather before the function is invoked (up to 5
   * minutes). The partitions-table stream batches the wake-ups by it, in whole
   * seconds (the lowest of the stack's subscriptions); below one second the
   * stream's own polling, four times a second, is the window.
   * @default Duration.millis(500)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Where a partition with no committed offset starts: its oldest record,
   * the records appended after the subscription was deployed, or the first at
   * or after `startingPositionTimestamp`.
   * @default 'LATEST'
   */
  readonly startingPosition?: StartingPosition;
  /** With AT_TIMESTAMP (only then). */
  readonly startingPositionTimestamp?: Date;
  /**
   * Retries of a failed batch before it goes to `onFailure` (or is dropped):
   * -1 retries until the records are older than `maxRecordAge` (at most 10
   * with `onFailure`, as AWS's event source mapping), 0 to 10,000.
   * @default -1
   */
  readonly retryAttempts?: number;
  /**
   * Records older than this are not delivered but sent to `onFailure` (60 s to 7 days).
   * @default no limit
   */
  readonly maxRecordAge?: Duration;
  /**
   * Halve a failing batch until the failure is isolated; a split is not
   * counted as a retry.
   * @default false
   */
  readonly bisectBatchOnError?: boolean;
  /**
   * The function may answer `{ batchItemFailures: [{ itemIdentifier: "<topic>-<partition>@<offset>" }] }`:
   * records before the first failed one are committed, the rest retried.
   * @default false
   */
  readonly reportBatchItemFailures?: boolean;
  /**
   * Where records that exhausted their retries or expired go: a kafkaless topic, an S3 bucket, an SQS queue or an SNS topic.
   * @default none: such records are dropped (and logged)
   */
  readonly onFailure?: OnFailureDestination;
  /**
   * Partitions one trigger invocation delivers at once (1 to 100); order is always kept within a partition.
   * @default 10
   */
  readonly parallelism?: number;
  /**
   * The function's timeout, when `fn` is not a `lambda.Function` of this app (whose own timeout is read).
   * @default the function's timeout, else 30 seconds
   */
  readonly functionTimeout?: Duration;
  /**
   * The function's output records (returned as `output`, or sent through the
   * producer `exactlyOnceHandler` hands it) and the group's offsets commit in
   * one kafkaless transaction, under a transactional id per subscription and
   * partition: a retried or crashed invocation never duplicates its output.
   * AWS's Kafka event source mapping has no such option (it is at least once).
   * @default false: at least once, and a returned `output` is ignored
   */
  readonly exactlyOnce?: boolean;
  /**
   * Filter criteria, as CDK's event sources take them
   * (`FilterCriteria.filter({ value: { type: ['order'] } })`, at most 5):
   * only records matching one of them are delivered; the others are skipped
   * and their offsets committed. `value` is the record's value (parsed when
   * JSON), as AWS's Kafka mappings read it; `key`, `headers`, `topic`,
   * `partition`, `offset` and `timestamp` can be matched too.
   * @default every record is delivered
   */
  readonly filters?: readonly Readonly<Record<string, unknown>>[];
}

const DEFAULT_FUNCTION_TIMEOUT = Duration.seconds(30);

function between(name: string, value: number | undefined, min: number, max: number, extra: readonly number[] = []): string[] {
  if (value === undefined || Token.isUnresolved(value)) return [];
  if (Number.isInteger(value) && ((value >= min && value <= max) || extra.includes(value))) return [];
  return [`${name} must be a whole number from ${min} to ${max}${extra.length > 0 ? ` (or ${extra.join(', ')})` : ''}, got ${value}`];
}

/** Every problem with the options, in a stable order. */
export function subscribeProblems(options: SubscribeOptions, name: string): string[] {
  const problems: string[] = [];
  if (options.topics.length === 0) problems.push('topics must name at least one topic');
  for (const topic of options.topics) if (topic.length === 0 || topic.length > MAX_NAME_CHARS) problems.push(`topic name '${topic}' must be 1 to ${MAX_NAME_CHARS} characters`);
  if (name.length === 0 || name.length > 200 || name.includes('#')) problems.push(`name must be 1 to 200 characters without '#', got '${name}'`);
  problems.push(...between('batchSize', options.batchSize, SUBSCRIPTION_BATCH_SIZE.min, SUBSCRIPTION_BATCH_SIZE.max));
  problems.push(...between('maxBatchingWindow (ms)', options.maxBatchingWindow?.toMilliseconds(), SUBSCRIPTION_BATCHING_WINDOW_MS.min, SUBSCRIPTION_BATCHING_WINDOW_MS.max));
  problems.push(...between('retryAttempts', options.retryAttempts, 0, SUBSCRIPTION_RETRY_ATTEMPTS.max, [-1]));
  problems.push(...between('maxRecordAge (ms)', options.maxRecordAge?.toMilliseconds(), SUBSCRIPTION_RECORD_AGE_MS.min, SUBSCRIPTION_RECORD_AGE_MS.max));
  problems.push(...between('parallelism', options.parallelism, SUBSCRIPTION_PARALLELISM.min, SUBSCRIPTION_PARALLELISM.max));
  const atTimestamp = (options.startingPosition ?? 'LATEST') === 'AT_TIMESTAMP';
  if (atTimestamp !== (options.startingPositionTimestamp !== undefined)) problems.push('startingPositionTimestamp is given with startingPosition AT_TIMESTAMP, and only then');
  const onFailure = options.onFailure;
  if (onFailure !== undefined && [onFailure.topic, onFailure.bucket, onFailure.queue, onFailure.snsTopic].filter((d) => d !== undefined).length !== 1) {
    problems.push('onFailure takes a topic, a bucket, a queue or an snsTopic: one of them');
  }
  else if (onFailure?.topic !== undefined && onFailure.topic.length === 0) problems.push('onFailure.topic must name a topic');
  problems.push(...filterProblems(options.filters));
  return problems;
}

function filterProblems(filters: SubscribeOptions['filters']): string[] {
  if (filters === undefined) return [];
  const problems = filters.length > SUBSCRIPTION_FILTERS_MAX ? [`filters may hold at most ${SUBSCRIPTION_FILTERS_MAX} patterns, got ${filters.length}`] : [];
  filters.forEach((filter, i) => {
    const pattern = filter.pattern;
    if (typeof pattern !== 'string') problems.push(`filters[${i}] must be a FilterCriteria.filter(...) (an object with a string 'pattern')`);
    else if (!Token.isUnresolved(pattern)) problems.push(...patternProblems(pattern).map((p) => `filters[${i}] ${p}`));
  });
  return problems;
}

/** The resolved spec the trigger function reads. */
export function subscriptionSpec(fn: IFunction, options: SubscribeOptions, name: string): SubscriptionSpec {
  const timeout = options.functionTimeout ?? (fn instanceof LambdaFunction ? fn.timeout : undefined) ?? DEFAULT_FUNCTION_TIMEOUT;
  const startingPosition = options.startingPosition ?? 'LATEST';
  return {
    name,
    functionName: fn.functionName,
    topics: [...options.topics],
    groupId: options.groupId ?? `kafkaless-${name}`,
    batchSize: options.batchSize ?? SUBSCRIPTION_BATCH_SIZE.default,
    maximumBatchingWindowMs: options.maxBatchingWindow?.toMilliseconds() ?? SUBSCRIPTION_BATCHING_WINDOW_MS.default,
    startingPosition,
    ...(options.startingPositionTimestamp !== undefined ? { startingPositionTimestampMs: options.startingPositionTimestamp.getTime() } : {}),
    maximumRetryAttempts: options.retryAttempts ?? SUBSCRIPTION_RETRY_ATTEMPTS.default,
    maximumRecordAgeMs: options.maxRecordAge?.toMilliseconds() ?? SUBSCRIPTION_RECORD_AGE_MS.default,
    bisectBatchOnFunctionError: options.bisectBatchOnError ?? false,
    reportBatchItemFailures: options.reportBatchItemFailures ?? false,
    ...(options.onFailure?.topic !== undefined ? { onFailureTopic: options.onFailure.topic } : {}),
    ...(options.onFailure?.bucket !== undefined ? { onFailureBucket: options.onFailure.bucket.bucketName } : {}),
    ...(options.onFailure?.queue !== undefined ? { onFailureQueueUrl: options.onFailure.queue.queueUrl } : {}),
    ...(options.onFailure?.snsTopic !== undefined ? { onFailureSnsTopicArn: options.onFailure.snsTopic.topicArn } : {}),
    parallelism: options.parallelism ?? SUBSCRIPTION_PARALLELISM.default,
    functionTimeoutMs: timeout.toMilliseconds(),
    ...(options.exactlyOnce === true ? { exactlyOnce: true } : {}),
    ...(options.filters !== undefined && options.filters.length > 0 ? { filterPatterns: options.filters.map((f) => String(f.pattern)) } : {}),
  };
}
