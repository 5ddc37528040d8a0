/**
 * A connector's parts: its Lambda function (the connect-sink handler of
 * the kafkaless package, bundled as the broker functions are, with the
 * connector's config in its environment), its own IAM role and log group,
 * and the subscription spec that has the trigger deliver its topics to it.
 */
import { Duration, Stack, Token, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnBucket, EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import { parseConnectorConfig, sinkGroupId, type ConnectorConfig, type RawConnectorConfig, type S3SinkConfig } from '../connect/config/connector-config.js';
import { SUBSCRIPTION_BATCH_SIZE, SUBSCRIPTION_BATCHING_WINDOW_MS } from '../limits.js';
import type { SubscriptionSpec } from '../names.js';
import { LOG_WRITE_ACTIONS } from './broker-function.js';
import type { ConnectorProps } from './connector-props.js';
import { BUNDLING, DEFAULT_MEMORY_SIZE_MB, HANDLER_EXPORT, RUNTIME } from './defaults.js';
import type { Permission } from './permissions.js';
import { resolveEntry } from './project-root.js';
import { IAM5_LIST_STREAMS_REASON } from './subscription-trigger.js';

/** Each connector class's handler, relative to the package root. */
export const CONNECTOR_ENTRIES: Readonly<Record<ConnectorConfig['connectorClass'], string>> = {
  S3Sink: 'lambdas/connect-sink.ts',
  DynamoDbSource: 'lambdas/connect-dynamodb-source.ts',
  S3Source: 'lambdas/connect-s3-source.ts',
};

const DEFAULT_CONNECTOR_TIMEOUT = Duration.seconds(60);

export interface ConnectorFunctionOptions {
  readonly raw: RawConnectorConfig;
  readonly projectRoot: string;
  readonly lockFile?: string;
  readonly bucket?: IBucket;
  readonly memorySizeMb?: number;
  readonly timeout?: Duration;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly environment: Readonly<Record<string, string>>;
  readonly permissions: readonly Permission[];
  readonly envName: string;
}

/** The config with its name and bucket filled in, checked: throws InvalidConfig listing every problem. */
export function resolveConnectorConfig(name: string, props: ConnectorProps): RawConnectorConfig {
  const given = props.config;
  if (given.name !== undefined && String(given.name) !== name) throw new Error(`Connector '${name}': config.name is '${String(given.name)}'; leave it out or give the same name`);
  if (props.bucket !== undefined && given['s3.bucket.name'] !== undefined) throw new Error(`Connector '${name}': give the bucket or s3.bucket.name, not both`);
  if (props.table !== undefined && given['dynamodb.table.name'] !== undefined) throw new Error(`Connector '${name}': give the table or dynamodb.table.name, not both`);
  const raw: RawConnectorConfig = {
    ...given,
    name,
    ...(props.bucket !== undefined ? { 's3.bucket.name': props.bucket.bucketName } : {}),
    ...(props.table !== undefined ? { 'dynamodb.table.name': props.table.tableName } : {}),
  };
  parseConnectorConfig(raw);
  return raw;
}

export interface ConnectorFunction {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly config: ConnectorConfig;
  /** The construct holding the connector's parts. */
  readonly scope: Construct;
}

export function createConnectorFunction(scope: Construct, name: string, options: ConnectorFunctionOptions): ConnectorFunction {
  const config = parseConnectorConfig(options.raw);
  const parent = new Construct(scope, `Connector-${name}`);
  const logGroup = new LogGroup(parent, 'Logs', { retention: options.logRetention, removalPolicy: options.removalPolicy });
  const role = new Role(parent, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `kafkaless connector ${name}` });
  for (const permission of [{ actions: LOG_WRITE_ACTIONS, resources: [logGroup.logGroupArn] }, ...options.permissions]) {
    role.addToPrincipalPolicy(new PolicyStatement({ actions: [...permission.actions], resources: [...permission.resources] }));
  }
  const fn = new NodejsFunction(parent, 'Function', {
    entry: resolveEntry(options.projectRoot, CONNECTOR_ENTRIES[config.connectorClass], `connector ${name}`),
    handler: HANDLER_EXPORT,
    ...(options.lockFile === undefined ? {} : { projectRoot: options.projectRoot, depsLockFilePath: options.lockFile }),
    runtime: RUNTIME,
    architecture: Architecture.ARM_64,
    memorySize: options.memorySizeMb ?? DEFAULT_MEMORY_SIZE_MB,
    timeout: options.timeout ?? DEFAULT_CONNECTOR_TIMEOUT,
    description: `kafkaless connector ${name} (${config.connectorClass})`,
    role,
    logGroup,
    environment: { ...options.environment, [options.envName]: Stack.of(scope).toJsonString(options.raw) },
    bundling: BUNDLING,
  });
  return { fn, role, config, scope: parent };
}

export const IAM5_SINK_OBJECTS_REASON =
  'A sink connector puts objects whose keys it makes at runtime (<topics.dir>/<topic>/<partition path>/<topic>+<partition>+<offset>.<ext>); ' +
  'PutObject can only be scoped to object ARNs, and "<bucket ARN>/<topics.dir>/*" names the sink\'s own folder of its own bucket, nothing wider.';

/** PutObject under topics.dir only: the sink never reads, lists or deletes. With a customer-managed key, encrypting with it. */
export function grantSinkWrites(scope: Construct, role: Role, bucket: IBucket, topicsDir: string): void {
  const objects = bucket.arnForObjects(topicsDir === '' ? '*' : `${topicsDir}/*`);
  role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }));
  bucket.encryptionKey?.grantEncrypt(role);
  const cfn = bucket.node.defaultChild;
  const arn = cfn instanceof CfnBucket ? `<${Stack.of(cfn).getLogicalId(cfn)}.Arn>` : Token.isUnresolved(bucket.bucketArn) ? undefined : bucket.bucketArn;
  if (arn !== undefined) Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${arn}/${topicsDir === '' ? '' : `${topicsDir}/`}*]`, reason: IAM5_SINK_OBJECTS_REASON });
}

/** The subscription that delivers a sink's topics: group `connect-<name>`, from the oldest record, retried until it succeeds. */
export function connectorSubscription(fn: NodejsFunction, config: S3SinkConfig): SubscriptionSpec {
  const timeout = fn.timeout ?? DEFAULT_CONNECTOR_TIMEOUT;
  return {
    name: sinkGroupId(config.name),
    functionName: fn.functionName,
    topics: [...config.topics],
    ...(config.topicsRegex !== undefined ? { topicsRegex: config.topicsRegex } : {}),
    groupId: sinkGroupId(config.name),
    // As many records as one fetch reads (the event's size limit cuts it further): the sink cuts the batch into flushes itself.
    batchSize: SUBSCRIPTION_BATCH_SIZE.max,
    maximumBatchingWindowMs: SUBSCRIPTION_BATCHING_WINDOW_MS.default,
    startingPosition: 'TRIM_HORIZON',
    maximumRetryAttempts: -1,
    maximumRecordAgeMs: -1,
    bisectBatchOnFunctionError: false,
    reportBatchItemFailures: false,
    parallelism: config.tasksMax,
    functionTimeoutMs: timeout.toMilliseconds(),
    connector: config.name,
  };
}

/**
 * A DynamoDB Streams source reads its table's stream through Lambda's own
 * event source mapping, from the trim horizon, retried until it succeeds
 * (a failed batch blocks its shard, keeping each item's changes in order).
 */
export function mapTableStream(scope: Construct, fn: NodejsFunction, role: Role, table: ITable): void {
  if (table.tableStreamArn === undefined) throw new Error(`Connector ${scope.node.id}: the table has no stream; give it one (stream: NEW_AND_OLD_IMAGES for both images)`);
  fn.addEventSource(new DynamoEventSource(table, { startingPosition: StartingPosition.TRIM_HORIZON, batchSize: 100, retryAttempts: -1, bisectBatchOnError: false }));
  Validations.of(role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: IAM5_LIST_STREAMS_REASON });
}

export const IAM5_SOURCE_OBJECTS_REASON =
  'An S3 source reads the objects created under its prefix, whose keys are not known before: GetObject can only be scoped to object ARNs, ' +
  'and "<bucket ARN>/<prefix>*" names the objects under the source\'s prefix of its bucket, nothing wider.';

/**
 * An S3 source is woken by its bucket's ObjectCreated notifications under
 * its prefix, and may list the prefix (a scan) and read its objects, nothing else.
 */
export function notifyObjectsCreated(scope: Construct, fn: NodejsFunction, role: Role, bucket: IBucket, prefix: string): void {
  bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(fn), ...(prefix === '' ? [] : [{ prefix }]));
  role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(`${prefix}*`)] }));
  role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn], ...(prefix === '' ? {} : { conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } } }) }));
  bucket.encryptionKey?.grantDecrypt(role);
  const cfn = bucket.node.defaultChild;
  const arn = cfn instanceof CfnBucket ? `<${Stack.of(cfn).getLogicalId(cfn)}.Arn>` : Token.isUnresolved(bucket.bucketArn) ? undefined : bucket.bucketArn;
  if (arn !== undefined) Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${arn}/${prefix}*]`, reason: IAM5_SOURCE_OBJECTS_REASON });
  // CDK's own singleton that writes bucket notifications: its role uses AWS's basic execution policy.
  for (const child of Stack.of(scope).node.children) {
    if (child.node.id.startsWith('BucketNotificationsHandler')) Validations.of(child).acknowledge({ id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: IAM4_NOTIFICATIONS_HANDLER_REASON });
  }
}

export const IAM4_NOTIFICATIONS_HANDLER_REASON =
  "CDK's BucketNotificationsHandler (a custom resource that puts the bucket's notification configuration at deployment) " +
  'is made by aws-cdk-lib with AWSLambdaBasicExecutionRole, which only lets it write its own logs.';
