/**
 * Reading IAM policies and logical ids out of synthesized templates, for
 * assertions that name resources by their construct rather than by hash.
 */
import { Stack } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

export const TABLE_READ = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
export const TABLE_WRITE = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

/** The actions a literal access level should give on a table, sorted. */
export function expectedTableActions(level: 'read' | 'write' | 'readwrite'): string[] {
  const actions = [...(level === 'write' ? [] : TABLE_READ), ...(level === 'read' ? [] : TABLE_WRITE)];
  return [...new Set(actions)].sort();
}

/** The actions a literal bucket access level should give on the bucket's objects, sorted. */
export function expectedObjectActions(level: 'read' | 'write' | 'readwrite' | 'collect'): string[] {
  if (level === 'read') return ['s3:GetObject'];
  if (level === 'write') return ['s3:PutObject'];
  if (level === 'readwrite') return ['s3:GetObject', 's3:PutObject'];
  return ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'];
}

export function logicalIdOf(construct: IConstruct): string {
  const child = construct.node.defaultChild ?? construct;
  return Stack.of(construct).getLogicalId(child as CfnElement);
}

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

interface PolicyResource {
  readonly Properties: {
    readonly PolicyDocument: { readonly Statement: Statement[] };
    readonly Roles?: unknown[];
  };
}

/** A CloudFormation value flattened to a string: `X.Arn`, `X.Arn/*`, `X`, or the literal. */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(flatten).join('');
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if ('Fn::GetAtt' in record) return (record['Fn::GetAtt'] as string[]).join('.');
    if ('Ref' in record) return String(record['Ref']);
    if ('Fn::Join' in record) {
      const [separator, parts] = record['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(separator);
    }
  }
  return JSON.stringify(value);
}

function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** Every Allow statement of the policies attached to the role with this logical id. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as PolicyResource[];
  return policies
    .filter((policy) => (policy.Properties.Roles ?? []).some((role) => flatten(role) === roleLogicalId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** Flattened resource → sorted actions allowed on it, over all the statements given. */
export function actionsByResource(statements: readonly Statement[]): Map<string, string[]> {
  const map = new Map<string, Set<string>>();
  for (const statement of statements) {
    if (statement.Effect !== 'Allow') continue;
    for (const resource of asArray(statement.Resource)) {
      const key = flatten(resource);
      const actions = map.get(key) ?? new Set<string>();
      for (const action of asArray(statement.Action)) actions.add(action);
      map.set(key, actions);
    }
  }
  return new Map([...map].map(([key, actions]) => [key, [...actions].sort()]));
}
