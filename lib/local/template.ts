/**
 * Reads a synthesized CloudFormation template (plain JSON) into what the
 * local stack serves: the tables to create, the buckets, and each function's
 * bundle folder, handler, limits and environment with `Ref`s resolved to
 * local physical names.
 */
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import type { AttributeDefinition, GlobalSecondaryIndex, KeySchemaElement, LocalSecondaryIndex, Projection } from '@aws-sdk/client-dynamodb';
import {
  TABLE_ROLES,
  functionConstructId,
  tableConstructId,
  type FunctionRole,
  type TableRole,
} from '../names.js';
import { KNOWN_FUNCTION_ROLES, LOCAL_ACCOUNT_ID, localBucketName, localFunctionArn, localFunctionName, localTableName } from './local-names.js';
import type { TableSpec } from './table-spec.js';
import { LAMBDA_MEMORY_MB, LAMBDA_TIMEOUT_SECONDS } from '../limits.js';

export interface LocalTable {
  readonly logicalId: string;
  /** The role from names.ts, when the table is one of the stack's own. */
  readonly role?: TableRole;
  readonly tableName: string;
  readonly spec: TableSpec;
}

export interface LocalBucket {
  readonly logicalId: string;
  readonly bucketName: string;
}

export interface LocalFunctionSpec {
  readonly logicalId: string;
  /** The role from names.ts; absent for a function of the app's own (a subscriber, say). */
  readonly role?: FunctionRole;
  readonly functionName: string;
  /** Absolute path of the bundle folder CDK built. */
  readonly codeDir: string;
  /** `file.export`, as Lambda's Handler property, e.g. `index.handler`. */
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
  readonly environment: Readonly<Record<string, string>>;
}

/** A DynamoDB stream → function event source mapping of the template. */
export interface LocalStreamMapping {
  readonly logicalId: string;
  readonly functionName: string;
  /** The table whose stream is read. */
  readonly tableName: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  /** Lambda filter patterns (JSON); a record is handed over when it matches one, or when there are none. */
  readonly filterPatterns: readonly string[];
  readonly reportBatchItemFailures: boolean;
}

/** A bucket's notification to a function (CDK's `Custom::S3BucketNotifications`). */
export interface LocalBucketNotification {
  readonly bucketName: string;
  readonly functionName: string;
  /** As S3 names them, e.g. `s3:ObjectCreated:*`. */
  readonly events: readonly string[];
  readonly prefix: string;
  readonly suffix: string;
}

export interface LocalTemplate {
  readonly stackName: string;
  readonly bucketNotifications?: readonly LocalBucketNotification[];
  readonly tables: readonly LocalTable[];
  readonly buckets: readonly LocalBucket[];
  readonly functions: readonly LocalFunctionSpec[];
  readonly streamMappings: readonly LocalStreamMapping[];
}

export interface ReadTemplateOptions {
  readonly stackName: string;
  /** The cloud assembly directory; `aws:asset:path` is relative to it. */
  readonly assemblyDir: string;
  readonly region: string;
}

/** Lambda's defaults when the template leaves them out. */
const DEFAULT_TIMEOUT_SECONDS = LAMBDA_TIMEOUT_SECONDS.default;
const DEFAULT_MEMORY_SIZE_MB = LAMBDA_MEMORY_MB.min;

const resourceSchema = z.object({
  Type: z.string(),
  Properties: z.record(z.string(), z.unknown()).optional(),
  Metadata: z.record(z.string(), z.unknown()).optional(),
});
const templateSchema = z.object({ Resources: z.record(z.string(), resourceSchema) });
type Resource = z.infer<typeof resourceSchema>;

const keySchemaSchema = z.array(z.object({ AttributeName: z.string(), KeyType: z.enum(['HASH', 'RANGE']) })).min(1);
const projectionSchema = z.object({
  ProjectionType: z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE']).optional(),
  NonKeyAttributes: z.array(z.string()).optional(),
});
const indexSchema = z.object({ IndexName: z.string(), KeySchema: keySchemaSchema, Projection: projectionSchema });
const tablePropertiesSchema = z.object({
  KeySchema: keySchemaSchema,
  AttributeDefinitions: z.array(z.object({ AttributeName: z.string(), AttributeType: z.enum(['S', 'N', 'B']) })),
  GlobalSecondaryIndexes: z.array(indexSchema).optional(),
  LocalSecondaryIndexes: z.array(indexSchema).optional(),
  TimeToLiveSpecification: z.object({ AttributeName: z.string().optional(), Enabled: z.boolean() }).optional(),
  StreamSpecification: z.object({ StreamViewType: z.enum(['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES']) }).optional(),
});
const mappingPropertiesSchema = z.object({
  FunctionName: z.unknown(),
  EventSourceArn: z.unknown(),
  BatchSize: z.number().int().positive().optional(),
  MaximumBatchingWindowInSeconds: z.number().int().min(0).optional(),
  StartingPosition: z.string().optional(),
  FilterCriteria: z.object({ Filters: z.array(z.object({ Pattern: z.string() })).optional() }).optional(),
  FunctionResponseTypes: z.array(z.string()).optional(),
});
const functionPropertiesSchema = z.object({
  Handler: z.string().min(1),
  FunctionName: z.unknown().optional(),
  Runtime: z.string().optional(),
  Timeout: z.number().int().positive().optional(),
  MemorySize: z.number().int().positive().optional(),
  Environment: z.object({ Variables: z.record(z.string(), z.unknown()).optional() }).optional(),
});

const TABLE_TYPES = new Set(['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable']);
/** Queues and SNS topics: not served locally, but named (a subscription's on-failure destination refers to one). */
const MESSAGE_TARGET_TYPES = new Set(['AWS::SQS::Queue', 'AWS::SNS::Topic']);

export function readTemplate(template: unknown, options: ReadTemplateOptions): LocalTemplate {
  const parsed = templateSchema.safeParse(template);
  if (!parsed.success) throw new Error(`Not a CloudFormation template: ${z.prettifyError(parsed.error)}`);
  const resources = Object.entries(parsed.data.Resources);
  const tables = resources
    .filter(([, resource]) => TABLE_TYPES.has(resource.Type))
    .map(([logicalId, resource]) => readTable(logicalId, resource, options.stackName));
  const buckets = resources
    .filter(([, resource]) => resource.Type === 'AWS::S3::Bucket')
    .map(([logicalId]) => ({ logicalId, bucketName: localBucketName(options.stackName, logicalId) }));
  const lambdas = resources.filter(([, resource]) => resource.Type === 'AWS::Lambda::Function');
  const messageTargets = resources.filter(([, resource]) => MESSAGE_TARGET_TYPES.has(resource.Type)).map(([logicalId, resource]) => [logicalId, resource.Type] as const);
  const names = physicalNames(tables, buckets, lambdas, messageTargets, options);
  const functions = lambdas.flatMap(([logicalId, resource]) => readFunction(logicalId, resource, names, options));
  assertOnePerRole(functions.flatMap((f) => (f.role === undefined ? [] : [[f.role, f.logicalId]])), 'function');
  assertOnePerRole(tables.flatMap((t) => (t.role === undefined ? [] : [[t.role, t.logicalId]])), 'table');
  const tableIds = new Map(tables.map((t) => [t.logicalId, t.tableName]));
  const streamMappings = resources
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::EventSourceMapping')
    .flatMap(([logicalId, resource]) => readStreamMapping(logicalId, resource, names, tableIds));
  const bucketIds = new Map(buckets.map((b) => [b.logicalId, b.bucketName]));
  const bucketNotifications = resources
    .filter(([, resource]) => resource.Type === 'Custom::S3BucketNotifications')
    .flatMap(([, resource]) => readBucketNotifications(resource, names, bucketIds));
  return { stackName: options.stackName, tables, buckets, functions, streamMappings, ...(bucketNotifications.length > 0 ? { bucketNotifications } : {}) };
}

const notificationsSchema = z.object({
  BucketName: z.unknown(),
  NotificationConfiguration: z
    .object({
      LambdaFunctionConfigurations: z
        .array(
          z.object({
            Events: z.array(z.string()),
            LambdaFunctionArn: z.unknown(),
            Filter: z.object({ Key: z.object({ FilterRules: z.array(z.object({ Name: z.string(), Value: z.string() })) }) }).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});

/** A bucket of the template notifying functions of the template; other destinations (queues, topics) are not served. */
function readBucketNotifications(resource: Resource, names: ReadonlyMap<string, string>, buckets: ReadonlyMap<string, string>): LocalBucketNotification[] {
  const parsed = notificationsSchema.safeParse(resource.Properties ?? {});
  if (!parsed.success || !isRef(parsed.data.BucketName)) return [];
  const bucketName = buckets.get(parsed.data.BucketName.Ref);
  if (bucketName === undefined) return [];
  return (parsed.data.NotificationConfiguration?.LambdaFunctionConfigurations ?? []).flatMap((c) => {
    const getAtt = (c.LambdaFunctionArn as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt'];
    if (!Array.isArray(getAtt) || getAtt[1] !== 'Arn' || typeof getAtt[0] !== 'string') return [];
    const functionName = names.get(`${FUNCTION_KEY}${getAtt[0]}`);
    if (functionName === undefined) return [];
    const rule = (name: string): string => c.Filter?.Key.FilterRules.find((r) => r.Name.toLowerCase() === name)?.Value ?? '';
    return [{ bucketName, functionName, events: c.Events, prefix: rule('prefix'), suffix: rule('suffix') }];
  });
}

/** Which role a resource plays: its `aws:cdk:path` has the construct id as a segment (or, without path metadata, its logical id starts with it). */
function roleOf<R extends string>(logicalId: string, resource: Resource, roles: readonly R[], constructId: (role: R) => string): R | undefined {
  const path = resource.Metadata?.['aws:cdk:path'];
  if (typeof path === 'string') {
    const segments = path.split('/');
    return roles.find((role) => segments.includes(constructId(role)));
  }
  return roles.find((role) => logicalId.startsWith(constructId(role)));
}

function readTable(logicalId: string, resource: Resource, stackName: string): LocalTable {
  const properties = parseProperties(tablePropertiesSchema, resource, `table ${logicalId}`);
  const tableName = localTableName(stackName, logicalId);
  const ttl = properties.TimeToLiveSpecification;
  const stream = properties.StreamSpecification;
  const ttlAttribute = ttl?.Enabled === true ? ttl.AttributeName : undefined;
  const spec: TableSpec = {
    input: {
      TableName: tableName,
      KeySchema: properties.KeySchema satisfies KeySchemaElement[],
      AttributeDefinitions: properties.AttributeDefinitions satisfies AttributeDefinition[],
      BillingMode: 'PAY_PER_REQUEST',
      ...(properties.GlobalSecondaryIndexes !== undefined
        ? { GlobalSecondaryIndexes: properties.GlobalSecondaryIndexes.map(toIndex) satisfies GlobalSecondaryIndex[] }
        : {}),
      ...(properties.LocalSecondaryIndexes !== undefined
        ? { LocalSecondaryIndexes: properties.LocalSecondaryIndexes.map(toIndex) satisfies LocalSecondaryIndex[] }
        : {}),
      ...(stream !== undefined ? { StreamSpecification: { StreamEnabled: true, StreamViewType: stream.StreamViewType } } : {}),
    },
    ...(ttlAttribute !== undefined ? { ttlAttribute } : {}),
  };
  const role = roleOf(logicalId, resource, TABLE_ROLES, tableConstructId);
  return { logicalId, tableName, spec, ...(role !== undefined ? { role } : {}) };
}

function toIndex(index: z.infer<typeof indexSchema>): { IndexName: string; KeySchema: KeySchemaElement[]; Projection: Projection } {
  return { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection };
}

/**
 * The stack's own functions (by role), and the app's Node.js functions that
 * have a bundle (subscribers and the like). Functions without a bundle
 * (inline code) or on another runtime are not served.
 */
function readFunction(
  logicalId: string,
  resource: Resource,
  names: ReadonlyMap<string, string>,
  options: ReadTemplateOptions,
): LocalFunctionSpec[] {
  const role = roleOf(logicalId, resource, KNOWN_FUNCTION_ROLES, functionConstructId);
  const assetPath = resource.Metadata?.['aws:asset:path'];
  const where = `function ${logicalId} (${role ?? 'of the app'})`;
  const properties = parseProperties(functionPropertiesSchema, resource, where);
  if (role === undefined && (typeof assetPath !== 'string' || (properties.Runtime !== undefined && !properties.Runtime.startsWith('nodejs')))) return [];
  if (properties.Runtime !== undefined && !properties.Runtime.startsWith('nodejs')) {
    throw new Error(`${where}: runtime ${properties.Runtime} cannot run locally; only nodejs runtimes can.`);
  }
  if (typeof assetPath !== 'string') {
    throw new Error(
      `${where} has no 'aws:asset:path' metadata. Synthesize with the context 'aws:cdk:enable-asset-metadata': true so the local stack can find its bundle.`,
    );
  }
  return [
    {
      logicalId,
      ...(role !== undefined ? { role } : {}),
      functionName: names.get(logicalId) ?? localFunctionName(options.stackName, role ?? logicalId),
      codeDir: isAbsolute(assetPath) ? assetPath : resolve(options.assemblyDir, assetPath),
      handler: properties.Handler,
      timeoutSeconds: properties.Timeout ?? DEFAULT_TIMEOUT_SECONDS,
      memorySizeMb: properties.MemorySize ?? DEFAULT_MEMORY_SIZE_MB,
      environment: resolveEnvironment(properties.Environment?.Variables ?? {}, names, where),
    },
  ];
}

/** What a `Ref` resolves to locally: resources by logical id, and the pseudo parameters. */
function physicalNames(
  tables: readonly LocalTable[],
  buckets: readonly LocalBucket[],
  lambdas: ReadonlyArray<readonly [string, Resource]>,
  messageTargets: ReadonlyArray<readonly [string, string]>,
  options: ReadTemplateOptions,
): ReadonlyMap<string, string> {
  return new Map<string, string>([
    // A queue's Ref is its URL, a topic's its ARN, as on AWS (no local service answers them).
    ...messageTargets.map(([logicalId, type]): [string, string] => [
      logicalId,
      type === 'AWS::SQS::Queue'
        ? `https://sqs.${options.region}.amazonaws.com/${LOCAL_ACCOUNT_ID}/${options.stackName}-${logicalId}`
        : `arn:aws:sns:${options.region}:${LOCAL_ACCOUNT_ID}:${options.stackName}-${logicalId}`,
    ]),
    ...tables.map((t): [string, string] => [t.logicalId, t.tableName]),
    ...buckets.map((b): [string, string] => [b.logicalId, b.bucketName]),
    ...lambdas.map(([logicalId, resource]): [string, string] => [logicalId, localFunctionNameOf(logicalId, resource, options.stackName)]),
    ...lambdas.map(([logicalId, resource]): [string, string] => [`${FUNCTION_KEY}${logicalId}`, localFunctionNameOf(logicalId, resource, options.stackName)]),
    ['AWS::Region', options.region],
    ['AWS::AccountId', LOCAL_ACCOUNT_ID],
    ['AWS::StackName', options.stackName],
    ['AWS::Partition', 'aws'],
    ['AWS::URLSuffix', 'amazonaws.com'],
  ]);
}

function resolveEnvironment(
  variables: Readonly<Record<string, unknown>>,
  names: ReadonlyMap<string, string>,
  where: string,
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    environment[name] = resolveValue(value, names, `${where}: environment variable ${name}`);
  }
  return environment;
}

/** A role's function is `<stack>-<role>`; another keeps its literal FunctionName, else `<stack>-<logicalId>`. */
function localFunctionNameOf(logicalId: string, resource: Resource, stackName: string): string {
  const role = roleOf(logicalId, resource, KNOWN_FUNCTION_ROLES, functionConstructId);
  if (role !== undefined) return localFunctionName(stackName, role);
  const given = resource.Properties?.FunctionName;
  return typeof given === 'string' ? given : localFunctionName(stackName, logicalId);
}

function resolveValue(value: unknown, names: ReadonlyMap<string, string>, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isRef(value)) {
    const name = names.get(value.Ref);
    if (name === undefined) throw new Error(`${where} refers to ${value.Ref}, which is not a table, bucket or function of the template.`);
    return name;
  }
  const join = joinOf(value);
  if (join !== undefined) return join.parts.map((part) => resolveValue(part, names, where)).join(join.separator);
  const arn = functionArnOf(value, names);
  if (arn !== undefined) return arn;
  const intrinsic = value !== null && typeof value === 'object' ? Object.keys(value).join(', ') : typeof value;
  throw new Error(
    `${where} uses ${intrinsic}, which the local stack cannot resolve. Give functions table and bucket names with a Ref (e.g. table.tableName), not Fn::GetAtt or other intrinsics.`,
  );
}

function joinOf(value: unknown): { separator: string; parts: readonly unknown[] } | undefined {
  if (value === null || typeof value !== 'object' || Object.keys(value).length !== 1) return undefined;
  const args = (value as { 'Fn::Join'?: unknown })['Fn::Join'];
  if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string' || !Array.isArray(args[1])) return undefined;
  return { separator: args[0], parts: args[1] as unknown[] };
}

/** Where physicalNames keeps functions a second time, so only they resolve as `Fn::GetAtt [x, Arn]`. */
const FUNCTION_KEY = 'function:';

/** `Fn::GetAtt [function, Arn]`: the local function's ARN. */
function functionArnOf(value: unknown, names: ReadonlyMap<string, string>): string | undefined {
  if (value === null || typeof value !== 'object' || Object.keys(value).length !== 1) return undefined;
  const args = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  if (!Array.isArray(args) || args.length !== 2 || args[1] !== 'Arn' || typeof args[0] !== 'string') return undefined;
  const name = names.get(`${FUNCTION_KEY}${args[0]}`);
  return name === undefined ? undefined : localFunctionArn(names.get('AWS::Region') ?? 'us-east-1', name);
}

/** Event source mappings that read a table's stream; others (queues, Kafka) are not served. */
function readStreamMapping(logicalId: string, resource: Resource, names: ReadonlyMap<string, string>, tables: ReadonlyMap<string, string>): LocalStreamMapping[] {
  const where = `event source mapping ${logicalId}`;
  const properties = parseProperties(mappingPropertiesSchema, resource, where);
  const source = properties.EventSourceArn as { 'Fn::GetAtt'?: unknown } | undefined;
  const getAtt = source?.['Fn::GetAtt'];
  if (!Array.isArray(getAtt) || getAtt[1] !== 'StreamArn' || typeof getAtt[0] !== 'string') return [];
  const tableName = tables.get(getAtt[0]);
  if (tableName === undefined) return [];
  const functionName = resolveValue(properties.FunctionName, names, `${where}: FunctionName`);
  return [
    {
      logicalId,
      functionName: functionName.includes(':function:') ? functionName.slice(functionName.lastIndexOf(':') + 1) : functionName,
      tableName,
      batchSize: properties.BatchSize ?? 100,
      maximumBatchingWindowSeconds: properties.MaximumBatchingWindowInSeconds ?? 0,
      startingPosition: properties.StartingPosition === 'TRIM_HORIZON' ? 'TRIM_HORIZON' : 'LATEST',
      filterPatterns: properties.FilterCriteria?.Filters?.map((f) => f.Pattern) ?? [],
      reportBatchItemFailures: properties.FunctionResponseTypes?.includes('ReportBatchItemFailures') ?? false,
    },
  ];
}

function isRef(value: unknown): value is { Ref: string } {
  return (
    value !== null &&
    typeof value === 'object' &&
    Object.keys(value).length === 1 &&
    typeof (value as { Ref?: unknown }).Ref === 'string'
  );
}

function parseProperties<T>(schema: z.ZodType<T>, resource: Resource, where: string): T {
  const parsed = schema.safeParse(resource.Properties ?? {});
  if (!parsed.success) throw new Error(`${where} has properties the local stack cannot read: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function assertOnePerRole(pairs: ReadonlyArray<readonly [string, string]>, kind: string): void {
  const seen = new Map<string, string>();
  for (const [role, logicalId] of pairs) {
    const other = seen.get(role);
    if (other !== undefined) throw new Error(`The template has two ${kind}s for role '${role}': ${other} and ${logicalId}.`);
    seen.set(role, logicalId);
  }
}
