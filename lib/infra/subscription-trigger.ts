/**
 * What the first subscription adds to the construct: a stream on the
 * partitions table (every append moves a head item, so every append is a
 * stream record, and nothing else needs to watch), the trigger function
 * with its subscriptions in its environment, and the event source mapping
 * that has Lambda hand it the head changes. No compute runs while nothing is
 * appended (invariant 12): Lambda reads DynamoDB streams for its triggers at
 * no charge, and the trigger runs only when a head moved.
 */
import { CustomResource, Lazy, Stack, Validations } from 'aws-cdk-lib';
import type { CfnTable, ITable } from 'aws-cdk-lib/aws-dynamodb';
import { CfnEventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { CfnBucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { failureObjectPrefix, SUBSCRIPTIONS_ENV, SUBSCRIPTIONS_RESOURCE_TYPE, type SubscriptionSpec } from '../names.js';
import { SUBSCRIPTION_BATCHING_WINDOW_MS } from '../limits.js';
import type { Permission } from './permissions.js';

/** Reading the partitions table's stream, as Lambda's event source mapping needs. */
export const STREAM_READ_ACTIONS: readonly string[] = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
/** ListStreams has no resource to scope to. */
export const STREAM_LIST_ACTIONS: readonly string[] = ['dynamodb:ListStreams'];

export const IAM5_LIST_STREAMS_REASON =
  'dynamodb:ListStreams cannot be scoped to a resource; Lambda\'s event source mapping needs it ' +
  'to read the partitions table\'s stream (the stream\'s records are granted on its ARN only).';

/**
 * Head changes only: the partitions table also holds leases, and a head
 * removed (its topic deleted) brings no records.
 */
export const HEAD_CHANGE_FILTER = JSON.stringify({ eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { highWatermark: { N: [{ exists: true }] } } } });

/** Stream records per trigger invocation; each names one partition's head. */
export const STREAM_BATCH_SIZE = 100;
/** Concurrent batches per stream shard (order is kept per head item). */
export const STREAM_PARALLELIZATION_FACTOR = 10;

export interface TriggerParts {
  readonly specs: SubscriptionSpec[];
  readonly permissions: Permission[];
  readonly environment: Readonly<Record<string, string>>;
}

/** Turns the table's stream on (new and old images: the old high watermark is a LATEST subscription's start). */
export function enableHeadStream(partitions: ITable): string {
  const cfn = partitions.node.defaultChild as CfnTable;
  cfn.streamSpecification = { streamViewType: 'NEW_AND_OLD_IMAGES' };
  return cfn.attrStreamArn;
}

/** The trigger's environment and stream permissions; its subscriptions are read when the template is made. */
export function triggerParts(scope: Construct, streamArn: string): TriggerParts {
  const specs: SubscriptionSpec[] = [];
  return {
    specs,
    environment: { [SUBSCRIPTIONS_ENV]: Lazy.string({ produce: () => Stack.of(scope).toJsonString(specs) }) },
    permissions: [
      { actions: STREAM_READ_ACTIONS, resources: [streamArn] },
      { actions: STREAM_LIST_ACTIONS, resources: ['*'] },
    ],
  };
}

/** The stream → trigger mapping. Its batching window is the lowest of the subscriptions', in whole seconds. */
export function mapHeadStream(scope: Construct, trigger: IFunction, streamArn: string, specs: readonly SubscriptionSpec[]): CfnEventSourceMapping {
  const mapping = new CfnEventSourceMapping(scope, 'TriggerHeadStream', {
    functionName: trigger.functionName,
    eventSourceArn: streamArn,
    // From the stream's start: a wake written by the subscriptions resource right after the mapping is created is
    // then seen whenever the mapping starts reading (a head change handed twice delivers nothing twice).
    startingPosition: 'TRIM_HORIZON',
    batchSize: STREAM_BATCH_SIZE,
    maximumBatchingWindowInSeconds: Lazy.number({
      produce: () => Math.floor(Math.min(SUBSCRIPTION_BATCHING_WINDOW_MS.max, ...specs.map((s) => s.maximumBatchingWindowMs)) / 1000),
    }),
    parallelizationFactor: STREAM_PARALLELIZATION_FACTOR,
    functionResponseTypes: ['ReportBatchItemFailures'],
    // A wake-up that could not finish is retried until it does; the records themselves stay in the log.
    maximumRetryAttempts: -1,
    bisectBatchOnFunctionError: false,
    filterCriteria: { filters: [{ pattern: HEAD_CHANGE_FILTER }] },
  });
  return mapping;
}

/**
 * The subscriptions resource: its Create and Update (any subscription added or changed, as its properties are the
 * trigger's subscriptions) have the trigger wake every subscribed partition (lib/triggers/start-resource.ts), after
 * the stream mapping exists, so a subscription starts on the records already there without waiting for an append.
 */
export function wakeOnDeploy(scope: Construct, trigger: IFunction, mapping: CfnEventSourceMapping, specs: readonly SubscriptionSpec[]): CustomResource {
  const resource = new CustomResource(scope, 'TriggerStart', {
    serviceToken: trigger.functionArn,
    resourceType: SUBSCRIPTIONS_RESOURCE_TYPE,
    properties: { Subscriptions: Lazy.string({ produce: () => Stack.of(scope).toJsonString(specs) }) },
  });
  resource.node.addDependency(mapping);
  return resource;
}

export const IAM5_FAILURE_OBJECTS_REASON =
  'A subscription\'s S3 on-failure destination gets one object per given-up batch, its key made at ' +
  'runtime (time and a UUID); the trigger may put objects under the subscription\'s own prefix only.';

/** The trigger may write failure objects under the subscription's prefix of `bucket` (and encrypt with its key). */
export function grantFailureObjects(role: IRole, bucket: IBucket, subscription: string): void {
  const prefix = failureObjectPrefix(subscription);
  role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects(`${prefix}*`)] }));
  bucket.encryptionKey?.grant(role, 'kms:Encrypt', 'kms:GenerateDataKey');
  const cfn = bucket.node.defaultChild;
  if (cfn instanceof CfnBucket) {
    Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::<${Stack.of(cfn).getLogicalId(cfn)}.Arn>/${prefix}*]`, reason: IAM5_FAILURE_OBJECTS_REASON });
  }
}

/**
 * What sending a message to an SSE-KMS queue or topic needs of its key (AWS's SQS and SNS key policy guidance).
 * CDK's grantSendMessages / grantPublish give the same key, with wider actions (`kms:GenerateDataKey*`, and for
 * queues `kms:Encrypt`, `kms:ReEncrypt*`) a sender does not use.
 */
export const MESSAGE_KEY_ACTIONS: readonly string[] = ['kms:Decrypt', 'kms:GenerateDataKey'];

/** The trigger may send failure records to this queue only (and use its key, when the construct can see it). */
export function grantFailureQueue(role: IRole, queue: IQueue): void {
  role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
  queue.encryptionMasterKey?.grant(role, ...MESSAGE_KEY_ACTIONS);
}

/** The trigger may publish failure records to this SNS topic only (and use its key, when the construct can see it). */
export function grantFailureSnsTopic(role: IRole, topic: ITopic): void {
  role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
  topic.masterKey?.grant(role, ...MESSAGE_KEY_ACTIONS);
}

export function acknowledgeTriggerFindings(role: Construct): void {
  Validations.of(role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: IAM5_LIST_STREAMS_REASON });
}
