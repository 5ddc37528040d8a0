/**
 * The construct's props: validation, and what each non-default choice
 * changes in the template.
 */
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccountRootPrincipal, Role } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafkaless } from '../../lib/infra/kafkaless.js';
import { FUNCTIONS, FUNCTION_ROLES } from '../../lib/names.js';
import type { FunctionRole } from '../../lib/names.js';
import { createFixtureProject } from './fixture-project.js';
import type { FixtureProject } from './fixture-project.js';
import { actionsByResource, logicalIdOf, statementsOfRole } from './template-helpers.js';

let project: FixtureProject;

beforeAll(() => {
  project = createFixtureProject();
});

afterAll(() => project.remove());

describe('validation', () => {
  it('lists every problem with the props in one error', () => {
    const stack = new Stack(new App(), 'Invalid');
    const firstRole: FunctionRole = FUNCTION_ROLES[0] ?? 'admin';
    const create = (): Kafkaless =>
      new Kafkaless(stack, 'Kafkaless', {
        projectRoot: project.root,
        memorySizeMb: 64,
        timeout: Duration.minutes(20),
        functionSettings: { [firstRole]: { memorySizeMb: 1000.5 } },
        abortIncompleteUploadsAfter: Duration.hours(12),
        noncurrentVersionExpiration: Duration.days(3),
        functionNamePrefix: 'my prefix',
      });
    expect(create).toThrow(
      [
        'Invalid Kafkaless props:',
        '- memorySizeMb must be a whole number from 128 to 10240, got 64',
        '- timeout must be whole seconds from 1 second to 15 minutes, got 20 minutes',
        `- functionSettings.${firstRole}.memorySizeMb must be a whole number from 128 to 10240, got 1000.5`,
        '- abortIncompleteUploadsAfter must be a whole number of days, at least 1, got 12 hours',
        '- noncurrentVersionExpiration needs versioned: true',
        "- functionNamePrefix may hold only letters, digits, '-' and '_', got 'my prefix'",
      ].join('\n'),
    );
  });

  it('refuses a function name prefix that would make a name longer than Lambda allows', () => {
    const stack = new Stack(new App(), 'LongPrefix');
    const longest = Math.max(...FUNCTION_ROLES.map((role) => role.length));
    const maxLength = 64 - 1 - longest;
    expect(() => new Kafkaless(stack, 'Kafkaless', { projectRoot: project.root, functionNamePrefix: 'p'.repeat(maxLength + 1) })).toThrow(
      `- functionNamePrefix must be at most ${maxLength} characters, got ${maxLength + 1}`,
    );
  });
});

describe('with every option changed', () => {
  let stack: Stack;
  let kafkaless: Kafkaless;
  let key: Key;
  let template: Template;
  let client: Role;

  beforeAll(() => {
    stack = new Stack(new App(), 'Custom');
    key = new Key(stack, 'Key', { enableKeyRotation: true });
    const logs = new Bucket(stack, 'AccessLogs');
    const firstRole: FunctionRole = FUNCTION_ROLES[0] ?? 'admin';
    kafkaless = new Kafkaless(stack, 'Kafkaless', {
      projectRoot: project.root,
      removalPolicy: RemovalPolicy.DESTROY,
      encryptionKey: key,
      serverAccessLogsBucket: logs,
      versioned: true,
      noncurrentVersionExpiration: Duration.days(3),
      abortIncompleteUploadsAfter: Duration.days(2),
      memorySizeMb: 512,
      timeout: Duration.seconds(20),
      functionSettings: { [firstRole]: { memorySizeMb: 2048, timeout: Duration.minutes(1) } },
      logRetention: RetentionDays.ONE_WEEK,
      logLevel: 'debug',
      functionNamePrefix: 'kl-test',
    });
    client = new Role(stack, 'Client', { assumedBy: new AccountRootPrincipal() });
    kafkaless.grantProduce(client);
    kafkaless.grantConsume(client);
    kafkaless.grantAdmin(client);
    template = Template.fromStack(stack);
  });

  it('encrypts the bucket with the given key and S3 bucket keys', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [logicalIdOf(key), 'Arn'] } },
          },
        ],
      },
    });
  });

  it('encrypts every table with the given key', () => {
    const tables = Object.values(template.findResources('AWS::DynamoDB::Table'));
    for (const table of tables) {
      expect(table['Properties']['SSESpecification']).toEqual({
        KMSMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(key), 'Arn'] },
        SSEEnabled: true,
        SSEType: 'KMS',
      });
    }
  });

  it.each(FUNCTION_ROLES)('lets the %s function use the key as far as its access needs', (role) => {
    const fnRole = kafkaless.functions[role]?.role;
    if (fnRole === undefined) throw new Error(`no role for ${role}`);
    const granted = actionsByResource(statementsOfRole(template, logicalIdOf(fnRole))).get(`${logicalIdOf(key)}.Arn`);
    const access = FUNCTIONS[role];
    const writes = access.bucket === 'write' || access.bucket === 'readwrite' || Object.values(access.tables).some((level) => level !== 'read');
    expect(granted).toEqual(
      writes ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt', 'kms:DescribeKey'],
    );
  });

  it('deletes data with the stack and turns deletion protection off', () => {
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', Properties: { VersioningConfiguration: { Status: 'Enabled' } } });
    for (const table of Object.values(template.findResources('AWS::DynamoDB::Table'))) {
      expect(table['DeletionPolicy']).toBe('Delete');
      expect(table['Properties']['DeletionProtectionEnabled']).toBe(false);
    }
  });

  it('logs bucket access to the given bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalIdOf(stack.node.findChild('AccessLogs')) } },
    });
  });

  it('expires noncurrent versions and aborts incomplete uploads after the given days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          { Id: 'abort-incomplete-multipart-uploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } },
          { Id: 'expire-noncurrent-versions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 3 }, ExpiredObjectDeleteMarker: true },
        ],
      },
    });
  });

  it.each(FUNCTION_ROLES)('names, sizes and logs the %s function as asked', (role) => {
    const fn = kafkaless.functions[role];
    if (fn === undefined) throw new Error(`no ${role} function`);
    const properties = template.toJSON()['Resources'][logicalIdOf(fn)]['Properties'];
    const first = role === (FUNCTION_ROLES[0] ?? 'admin');
    expect(properties['FunctionName']).toBe(`kl-test-${role}`);
    expect(properties['MemorySize']).toBe(first ? 2048 : 512);
    expect(properties['Timeout']).toBe(first ? 60 : 20);
    expect(properties['Environment']['Variables']['KAFKALESS_LOG_LEVEL']).toBe('debug');
    const logGroup = template.toJSON()['Resources'][properties['LoggingConfig']['LogGroup']['Ref']];
    expect(logGroup['Properties']['RetentionInDays']).toBe(7);
    expect(logGroup['DeletionPolicy']).toBe('Delete');
  });

  it('grants invoking only the functions FUNCTION_ROLES deploys', () => {
    const present = FUNCTION_ROLES.filter((role) => ['produce', 'fetch', 'group', 'admin'].includes(role));
    const expected = Object.fromEntries(
      present.map((role) => {
        const fn = kafkaless.functions[role];
        if (fn === undefined) throw new Error(`no ${role} function`);
        return [`${logicalIdOf(fn)}.Arn`, ['lambda:InvokeFunction']];
      }),
    );
    expect(Object.fromEntries(actionsByResource(statementsOfRole(template, logicalIdOf(client))))).toEqual(expected);
  });

  it('needs no cdk-nag acknowledgment for access logs once they are on', () => {
    const report = new AwsSolutionsChecks().validateScope(kafkaless);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });
});
