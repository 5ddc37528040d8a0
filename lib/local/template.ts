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
import { KNOWN_FUNCTION_ROLES, LOCAL_ACCOUNT_ID, localBucketName, localFunctionName, localTableName } from './local-names.js';
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
  readonly role: FunctionRole;
  readonly functionName: string;
  /** Absolute path of the bundle folder CDK built. */
  readonly codeDir: string;
  /** `file.export`, as Lambda's Handler property, e.g. `index.handler`. */
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
  readonly environment: Readonly<Record<string, string>>;
}

export interface LocalTemplate {
  readonly stackName: string;
  readonly tables: readonly LocalTable[];
  readonly buckets: readonly LocalBucket[];
  readonly functions: readonly LocalFunctionSpec[];
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
});
const functionPropertiesSchema = z.object({
  Handler: z.string().min(1),
  Runtime: z.string().optional(),
  Timeout: z.number().int().positive().optional(),
  MemorySize: z.number().int().positive().optional(),
  Environment: z.object({ Variables: z.record(z.string(), z.unknown()).optional() }).optional(),
});

const TABLE_TYPES = new Set(['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable']);

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
  const names = physicalNames(tables, buckets, options);
  const functions = resources
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .flatMap(([logicalId, resource]) => readFunction(logicalId, resource, names, options));
  assertOnePerRole(functions.map((f) => [f.role, f.logicalId]), 'function');
  assertOnePerRole(tables.flatMap((t) => (t.role === undefined ? [] : [[t.role, t.logicalId]])), 'table');
  return { stackName: options.stackName, tables, buckets, functions };
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
    },
    ...(ttlAttribute !== undefined ? { ttlAttribute } : {}),
  };
  const role = roleOf(logicalId, resource, TABLE_ROLES, tableConstructId);
  return { logicalId, tableName, spec, ...(role !== undefined ? { role } : {}) };
}

function toIndex(index: z.infer<typeof indexSchema>): { IndexName: string; KeySchema: KeySchemaElement[]; Projection: Projection } {
  return { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection };
}

/** Functions without a role (CDK's own helpers, custom resources) are not served. */
function readFunction(
  logicalId: string,
  resource: Resource,
  names: ReadonlyMap<string, string>,
  options: ReadTemplateOptions,
): LocalFunctionSpec[] {
  const role = roleOf(logicalId, resource, KNOWN_FUNCTION_ROLES, functionConstructId);
  if (role === undefined) return [];
  const where = `function ${logicalId} (${role})`;
  const properties = parseProperties(functionPropertiesSchema, resource, where);
  if (properties.Runtime !== undefined && !properties.Runtime.startsWith('nodejs')) {
    throw new Error(`${where}: runtime ${properties.Runtime} cannot run locally; only nodejs runtimes can.`);
  }
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath !== 'string') {
    throw new Error(
      `${where} has no 'aws:asset:path' metadata. Synthesize with the context 'aws:cdk:enable-asset-metadata': true so the local stack can find its bundle.`,
    );
  }
  return [
    {
      logicalId,
      role,
      functionName: localFunctionName(options.stackName, role),
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
  options: ReadTemplateOptions,
): ReadonlyMap<string, string> {
  return new Map<string, string>([
    ...tables.map((t): [string, string] => [t.logicalId, t.tableName]),
    ...buckets.map((b): [string, string] => [b.logicalId, b.bucketName]),
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

function resolveValue(value: unknown, names: ReadonlyMap<string, string>, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isRef(value)) {
    const name = names.get(value.Ref);
    if (name === undefined) throw new Error(`${where} refers to ${value.Ref}, which is not a table or bucket of the template.`);
    return name;
  }
  const intrinsic = value !== null && typeof value === 'object' ? Object.keys(value).join(', ') : typeof value;
  throw new Error(
    `${where} uses ${intrinsic}, which the local stack cannot resolve. Give functions table and bucket names with a Ref (e.g. table.tableName), not Fn::GetAtt or other intrinsics.`,
  );
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
