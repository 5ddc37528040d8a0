import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/infra/app.js';
import { DEFAULT_STACK_NAME, FUNCTION_ROLES, OUTPUTS, TABLES, TABLE_ROLES } from '../../lib/names.js';
import { createFixtureProject } from './fixture-project.js';
import type { FixtureProject } from './fixture-project.js';
import { registerFunctionChecks } from './function-checks.js';
import type { Synthesized } from './function-checks.js';
import { logicalIdOf } from './template-helpers.js';

let project: FixtureProject;
let synth: Synthesized;

beforeAll(() => {
  project = createFixtureProject();
  const { app, stack } = buildApp({ kafkaless: { projectRoot: project.root } });
  synth = { stack, template: Template.fromStack(stack), outdir: app.outdir };
});

afterAll(() => project.remove());

describe('the bucket', () => {
  it('blocks all public access', () => {
    synth.template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it('is encrypted with S3-managed keys by default', () => {
    synth.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
  });

  it('denies every request made without TLS', () => {
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('is not versioned and its lifecycle only aborts incomplete multipart uploads after one day', () => {
    const buckets = synth.template.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(1);
    const [bucket] = Object.values(buckets);
    expect(bucket?.['Properties']['VersioningConfiguration']).toBeUndefined();
    expect(bucket?.['Properties']['LifecycleConfiguration']).toEqual({
      Rules: [{ Id: 'abort-incomplete-multipart-uploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
    });
  });

  it('is retained when it leaves the stack', () => {
    synth.template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('the tables', () => {
  it('are exactly the tables of TABLES', () => {
    const ids = Object.keys(synth.template.findResources('AWS::DynamoDB::Table')).sort();
    expect(ids).toEqual(TABLE_ROLES.map((role) => logicalIdOf(synth.stack.kafkaless.tables[role])).sort());
  });

  it.each(TABLE_ROLES)('keys the %s table as TABLES says', (role) => {
    const { partitionKey, sortKey } = TABLES[role];
    const keys = [partitionKey, ...(sortKey === undefined ? [] : [sortKey])];
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: keys.map((key, index) => ({ AttributeName: key.name, KeyType: index === 0 ? 'HASH' : 'RANGE' })),
      AttributeDefinitions: keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
    });
  });

  it('are on demand, with point-in-time recovery and deletion protection, and retained', () => {
    const tables = Object.values(synth.template.findResources('AWS::DynamoDB::Table'));
    for (const table of tables) {
      expect(table['Properties']).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      });
      expect(table['DeletionPolicy']).toBe('Retain');
    }
  });

  it('expire items by TTL on the tables whose schema names an expiry attribute, and only there', () => {
    const resources = synth.template.toJSON()['Resources'];
    for (const role of TABLE_ROLES) {
      const table = resources[logicalIdOf(synth.stack.kafkaless.tables[role])];
      const ttl = TABLES[role].ttlAttribute;
      expect(table['Properties']['TimeToLiveSpecification']).toEqual(
        ttl === undefined ? undefined : { AttributeName: ttl, Enabled: true },
      );
    }
  });

  it('are encrypted at rest with an AWS-owned key by default', () => {
    const tables = Object.values(synth.template.findResources('AWS::DynamoDB::Table'));
    for (const table of tables) {
      expect(table['Properties']['SSESpecification']).toEqual({ SSEEnabled: false });
    }
  });
});

describe('the functions', () => {
  registerFunctionChecks(() => synth);
});

describe('the stack', () => {
  it('is named DEFAULT_STACK_NAME by default and bound to no account or region', () => {
    expect(synth.stack.stackName).toBe(DEFAULT_STACK_NAME);
    expect(synth.stack.environment).toBe('aws://unknown-account/unknown-region');
  });

  it('outputs the bucket, every function and every table under the names in OUTPUTS', () => {
    const { kafkaless } = synth.stack;
    const outputs = synth.template.toJSON()['Outputs'];
    const expected: Record<string, unknown> = { [OUTPUTS.bucket]: { Ref: logicalIdOf(kafkaless.bucket) } };
    for (const role of FUNCTION_ROLES) {
      const fn = kafkaless.functions[role];
      if (fn !== undefined) expected[OUTPUTS.functionName(role)] = { Ref: logicalIdOf(fn) };
    }
    for (const role of TABLE_ROLES) expected[OUTPUTS.tableName(role)] = { Ref: logicalIdOf(kafkaless.tables[role]) };
    const values = Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, (output as { Value: unknown }).Value]));
    expect(values).toEqual(expected);
  });

  it('leaves no cdk-nag AwsSolutions finding unacknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(synth.stack);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });

  it('shows no error annotation', () => {
    expect(Annotations.fromStack(synth.stack).findError('*', Match.anyValue())).toEqual([]);
  });
});

describe('synthesis with cdk-nag', () => {
  it('fails when a resource breaks an AwsSolutions rule nobody acknowledged', () => {
    const { app, stack } = buildApp({ kafkaless: { projectRoot: project.root } });
    new Bucket(stack, 'Unlogged');
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });
});
