/**
 * The IAM actions each kind of data access needs, written out once. Both the
 * functions' own roles and the `embedded` grants are built from these, so a
 * client running the broker in-process holds exactly what the function it
 * replaces holds. Pure: no CDK constructs here, only strings.
 */
import { TABLE_ROLES } from '../names.js';
import type { FunctionAccess, TableRole } from '../names.js';

export type AccessLevel = 'read' | 'write' | 'readwrite';
export type BucketAccess = FunctionAccess['bucket'];

/** What a principal may do with the bucket and the tables. */
export interface DataAccess {
  readonly bucket: BucketAccess;
  readonly tables: Readonly<Partial<Record<TableRole, AccessLevel>>>;
}

/**
 * Item reads. Scan is included because listing topics and finding
 * maintenance work walk a whole table; TransactGetItems is authorised by
 * GetItem, so it needs no action of its own.
 */
export const TABLE_READ_ACTIONS: readonly string[] = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];

/** Item writes. TransactWriteItems is authorised by these per-item actions. */
export const TABLE_WRITE_ACTIONS: readonly string[] = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

export const OBJECT_READ_ACTIONS: readonly string[] = ['s3:GetObject'];
export const OBJECT_WRITE_ACTIONS: readonly string[] = ['s3:PutObject'];
/** Only `collect` deletes objects and lists the bucket: the collector's needs. */
export const OBJECT_DELETE_ACTIONS: readonly string[] = ['s3:DeleteObject'];
export const BUCKET_LIST_ACTIONS: readonly string[] = ['s3:ListBucket'];

/** Decrypting what S3 or DynamoDB stored under a customer-managed key. */
export const KEY_READ_ACTIONS: readonly string[] = ['kms:Decrypt', 'kms:DescribeKey'];
/** Encrypting new objects and items (S3 multipart uploads also decrypt). */
export const KEY_WRITE_ACTIONS: readonly string[] = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'];

/** Lambda's invoke action: the only permission the `lambda` transport needs. */
export const INVOKE_ACTIONS: readonly string[] = ['lambda:InvokeFunction'];

/** One IAM statement's worth: these actions on these resources. */
export interface Permission {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

/** The ARNs permissions point at. */
export interface DataTargets {
  readonly bucketArn: string;
  readonly tableArns: Readonly<Record<TableRole, string>>;
  /** The customer-managed key, when there is one. */
  readonly keyArn?: string;
}

interface Flags {
  readonly read: boolean;
  readonly write: boolean;
}

const NO_ACCESS: Flags = { read: false, write: false };

function flagsOf(level: AccessLevel | 'none' | undefined): Flags {
  if (level === undefined || level === 'none') return NO_ACCESS;
  return { read: level !== 'write', write: level !== 'read' };
}

function levelOf(flags: Flags): AccessLevel | undefined {
  if (flags.read && flags.write) return 'readwrite';
  if (flags.read) return 'read';
  if (flags.write) return 'write';
  return undefined;
}

function union(a: AccessLevel | 'none' | undefined, b: AccessLevel | 'none' | undefined): AccessLevel | undefined {
  const x = flagsOf(a);
  const y = flagsOf(b);
  return levelOf({ read: x.read || y.read, write: x.write || y.write });
}

/** The bucket levels together: reading and writing is `readwrite`, and only `collect` (which covers the others) deletes. */
function unionBucket(a: BucketAccess, b: BucketAccess): BucketAccess {
  if (a === 'collect' || b === 'collect') return 'collect';
  return union(a, b) ?? 'none';
}

/** The least access that covers every one given: what serving all their roles needs. */
export function mergeAccess(accesses: readonly DataAccess[]): DataAccess {
  let bucket: BucketAccess = 'none';
  const tables: Partial<Record<TableRole, AccessLevel>> = {};
  for (const access of accesses) {
    bucket = unionBucket(bucket, access.bucket);
    for (const table of TABLE_ROLES) {
      const level = union(tables[table], access.tables[table]);
      if (level !== undefined) tables[table] = level;
    }
  }
  return { bucket, tables };
}

/** The table actions one access level allows, in a stable order, without repeats. */
export function tableActions(level: AccessLevel): string[] {
  const flags = flagsOf(level);
  const actions = [...(flags.read ? TABLE_READ_ACTIONS : []), ...(flags.write ? TABLE_WRITE_ACTIONS : [])];
  return [...new Set(actions)];
}

/** The object actions one bucket access level allows (ListBucket is separate: it targets the bucket). */
export function objectActions(level: Exclude<BucketAccess, 'none'>): string[] {
  if (level === 'read') return [...OBJECT_READ_ACTIONS];
  if (level === 'write') return [...OBJECT_WRITE_ACTIONS];
  if (level === 'readwrite') return [...OBJECT_READ_ACTIONS, ...OBJECT_WRITE_ACTIONS];
  return [...OBJECT_READ_ACTIONS, ...OBJECT_WRITE_ACTIONS, ...OBJECT_DELETE_ACTIONS];
}

function bucketPermissions(level: BucketAccess, bucketArn: string): Permission[] {
  if (level === 'none') return [];
  const permissions: Permission[] = [{ actions: objectActions(level), resources: [`${bucketArn}/*`] }];
  if (level === 'collect') permissions.push({ actions: [...BUCKET_LIST_ACTIONS], resources: [bucketArn] });
  return permissions;
}

/** One statement per access level, naming every table granted at that level. */
function tablePermissions(tables: DataAccess['tables'], tableArns: DataTargets['tableArns']): Permission[] {
  const levels: AccessLevel[] = ['read', 'write', 'readwrite'];
  return levels.flatMap((level) => {
    const arns = TABLE_ROLES.filter((table) => tables[table] === level).map((table) => tableArns[table]);
    return arns.length === 0 ? [] : [{ actions: tableActions(level), resources: arns }];
  });
}

function keyPermissions(access: DataAccess, keyArn: string | undefined): Permission[] {
  if (keyArn === undefined) return [];
  const flags = [flagsOf(access.bucket === 'collect' ? 'readwrite' : access.bucket), ...TABLE_ROLES.map((table) => flagsOf(access.tables[table]))];
  if (flags.some((f) => f.write)) return [{ actions: [...KEY_WRITE_ACTIONS], resources: [keyArn] }];
  if (flags.some((f) => f.read)) return [{ actions: [...KEY_READ_ACTIONS], resources: [keyArn] }];
  return [];
}

/** Every statement a principal with this access needs, and nothing more. */
export function permissionsFor(access: DataAccess, targets: DataTargets): Permission[] {
  return [
    ...bucketPermissions(access.bucket, targets.bucketArn),
    ...tablePermissions(access.tables, targets.tableArns),
    ...keyPermissions(access, targets.keyArn),
  ];
}
