/**
 * A connector's parts: its Lambda function (the connect-sink handler of
 * the kafkaless package, bundled as the broker functions are, with the
 * connector's config in its environment), its own IAM role and log group,
 * and the subscription spec that has the trigger deliver its topics to it.
 */
import { Duration, Stack, Token, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnBucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { MAX_FLUSH_SIZE, parseConnectorConfig, sinkGroupId, type ConnectorConfig, type RawConnectorConfig } from '../connect/config/connector-config.js';
import { SUBSCRIPTION_BATCH_SIZE } from '../limits.js';
import type { SubscriptionSpec } from '../names.js';
import { LOG_WRITE_ACTIONS } from './broker-function.js';
import type { ConnectorProps } from './connector-props.js';
import { BUNDLING, DEFAULT_MEMORY_SIZE_MB, HANDLER_EXPORT, RUNTIME } from './defaults.js';
import type { Permission } from './permissions.js';
import { resolveEntry } from './project-root.js';

/** The sink connectors' handler, relative to the package root. */
export const CONNECT_SINK_ENTRY = 'lambdas/connect-sink.ts';

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
  const bucketName = given['s3.bucket.name'];
  if (props.bucket !== undefined && bucketName !== undefined) throw new Error(`Connector '${name}': give the bucket or s3.bucket.name, not both`);
  const raw: RawConnectorConfig = { ...given, name, ...(props.bucket !== undefined ? { 's3.bucket.name': props.bucket.bucketName } : {}) };
  parseConnectorConfig(raw);
  return raw;
}

export function createConnectorFunction(scope: Construct, name: string, options: ConnectorFunctionOptions): { fn: NodejsFunction; config: ConnectorConfig } {
  const config = parseConnectorConfig(options.raw);
  const parent = new Construct(scope, `Connector-${name}`);
  const logGroup = new LogGroup(parent, 'Logs', { retention: options.logRetention, removalPolicy: options.removalPolicy });
  const role = new Role(parent, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `kafkaless connector ${name}` });
  for (const permission of [{ actions: LOG_WRITE_ACTIONS, resources: [logGroup.logGroupArn] }, ...options.permissions]) {
    role.addToPrincipalPolicy(new PolicyStatement({ actions: [...permission.actions], resources: [...permission.resources] }));
  }
  const fn = new NodejsFunction(parent, 'Function', {
    entry: resolveEntry(options.projectRoot, CONNECT_SINK_ENTRY, `connector ${name}`),
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
  if (options.bucket !== undefined) grantSinkWrites(parent, role, options.bucket, config.topicsDir);
  return { fn, config };
}

export const IAM5_SINK_OBJECTS_REASON =
  'A sink connector puts objects whose keys it makes at runtime (<topics.dir>/<topic>/<partition path>/<topic>+<partition>+<offset>.<ext>); ' +
  'PutObject can only be scoped to object ARNs, and "<bucket ARN>/<topics.dir>/*" names the sink\'s own folder of its own bucket, nothing wider.';

/** PutObject under topics.dir only: the sink never reads, lists or deletes. With a customer-managed key, encrypting with it. */
function grantSinkWrites(scope: Construct, role: Role, bucket: IBucket, topicsDir: string): void {
  const objects = bucket.arnForObjects(topicsDir === '' ? '*' : `${topicsDir}/*`);
  role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }));
  bucket.encryptionKey?.grantEncrypt(role);
  const cfn = bucket.node.defaultChild;
  const arn = cfn instanceof CfnBucket ? `<${Stack.of(cfn).getLogicalId(cfn)}.Arn>` : Token.isUnresolved(bucket.bucketArn) ? undefined : bucket.bucketArn;
  if (arn !== undefined) Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${arn}/${topicsDir === '' ? '' : `${topicsDir}/`}*]`, reason: IAM5_SINK_OBJECTS_REASON });
}

/** The subscription that delivers a sink's topics: group `connect-<name>`, from the oldest record, retried until it succeeds. */
export function connectorSubscription(fn: NodejsFunction, config: ConnectorConfig): SubscriptionSpec {
  const timeout = fn.timeout ?? DEFAULT_CONNECTOR_TIMEOUT;
  return {
    name: sinkGroupId(config.name),
    functionName: fn.functionName,
    topics: [...config.topics],
    ...(config.topicsRegex !== undefined ? { topicsRegex: config.topicsRegex } : {}),
    groupId: sinkGroupId(config.name),
    // A whole flush fits one batch; a small flush.size still reads a useful batch (the sink cuts it).
    batchSize: Math.min(MAX_FLUSH_SIZE, SUBSCRIPTION_BATCH_SIZE.max, Math.max(config.flushSize, SUBSCRIPTION_BATCH_SIZE.default)),
    maximumBatchingWindowMs: 500,
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
