/**
 * `Kafkaless.connect`: a connector's own function with its config in its
 * environment, subscribed to its topics as group connect-<name>, allowed to
 * put objects in its bucket and nothing wider; a bad config fails synthesis
 * with every problem named; cdk-nag clean. A KafkalessStack's outputs list
 * its connectors, which `kafkaless connect --stack` reads.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorsFromOutputs } from '../../lib/client/stack-outputs.js';
import { KafkalessError } from '../../lib/errors.js';
import { buildApp } from '../../lib/infra/app.js';
import { Kafkaless } from '../../lib/infra/kafkaless.js';
import { CONNECTOR_ENV, OUTPUTS, SUBSCRIPTIONS_ENV } from '../../lib/names.js';
import { createFixtureProject, type FixtureProject } from './fixture-project.js';
import { logicalIdOf } from './template-helpers.js';

let project: FixtureProject;
let stack: Stack;
let template: Template;
let bucket: Bucket;
let kafkaless: Kafkaless;
let customers: Table;
let uploads: Bucket;

beforeAll(() => {
  project = createFixtureProject();
  const app = new App();
  stack = new Stack(app, 'Lake');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  kafkaless = new Kafkaless(stack, 'Kafkaless', { projectRoot: project.root });
  bucket = new Bucket(stack, 'Lake', { enforceSSL: true, serverAccessLogsPrefix: 'logs/' });
  kafkaless.connect('orders-lake', { bucket, config: { 'connector.class': 'io.confluent.connect.s3.S3SinkConnector', topics: 'orders', 'tasks.max': 4, 'flush.size': 1000, 'format.class': 'parquet' } });
  customers = new Table(stack, 'Customers', { partitionKey: { name: 'id', type: AttributeType.STRING }, stream: StreamViewType.NEW_AND_OLD_IMAGES, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } });
  kafkaless.connect('customers-cdc', { table: customers, config: { 'connector.class': 'DynamoDbSource', topic: 'customers' } });
  uploads = new Bucket(stack, 'Uploads', { enforceSSL: true, serverAccessLogsPrefix: 'logs/' });
  kafkaless.connect('uploads', { bucket: uploads, config: { 'connector.class': 'S3Source', topic: 'uploads', 's3.prefix': 'in/', 'format.class': 'json' } });
  template = Template.fromStack(stack);
});

afterAll(() => project.remove());

function variablesOf(description: RegExp): Record<string, unknown> {
  const fns = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp(description.source) } });
  expect(Object.keys(fns)).toHaveLength(1);
  return (Object.values(fns)[0] as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties.Environment.Variables;
}

/** A Fn::Join'd JSON string with the bucket's Ref in it, as a string with `<bucket>` in its place. */
function joined(value: unknown): string {
  const join = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return join[1].map((part) => (typeof part === 'string' ? part : '<ref>')).join(join[0]);
}

describe('a connector', () => {
  it('runs as its own function with its config, and the bucket it writes as s3.bucket.name', () => {
    const config = JSON.parse(joined(variablesOf(/^kafkaless connector orders-lake/)[CONNECTOR_ENV])) as Record<string, unknown>;
    expect(config).toEqual({ 'connector.class': 'io.confluent.connect.s3.S3SinkConnector', topics: 'orders', 'tasks.max': 4, 'flush.size': 1000, 'format.class': 'parquet', name: 'orders-lake', 's3.bucket.name': '<ref>' });
  });

  it('is a subscription of its topics: group connect-<name>, from the oldest record, retried until done, tasks.max partitions at once', () => {
    const specs = JSON.parse(joined(variablesOf(/^subscriptions/)[SUBSCRIPTIONS_ENV])) as Record<string, unknown>[];
    expect(specs).toEqual([
      expect.objectContaining({ name: 'connect-orders-lake', groupId: 'connect-orders-lake', topics: ['orders'], connector: 'orders-lake', startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: -1, parallelism: 4, batchSize: 10000 }),
    ]);
  });

  it('may put objects in its bucket, and neither read nor delete them', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement);
    const onLake = statements.filter((s) => JSON.stringify(s.Resource).includes(logicalIdOf(bucket)));
    const actions = onLake.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions).toContain('s3:PutObject');
    expect(actions.filter((a) => /Get|Delete|List/.test(a))).toEqual([]);
  });

  it("a DynamoDB source reads its table's stream through its own event source mapping, from the trim horizon, retried until done", () => {
    const sourceFns = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^kafkaless connector customers-cdc') } });
    const [sourceId] = Object.keys(sourceFns);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: sourceId },
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(customers), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      MaximumRetryAttempts: -1,
    });
    const config = JSON.parse(joined((Object.values(sourceFns)[0] as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties.Environment.Variables[CONNECTOR_ENV])) as Record<string, unknown>;
    expect(config).toEqual({ 'connector.class': 'DynamoDbSource', topic: 'customers', name: 'customers-cdc', 'dynamodb.table.name': '<ref>' });
  });

  it('an S3 source is notified of objects created under its prefix, and may list the prefix and read its objects only', () => {
    const sourceFns = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^kafkaless connector uploads') } });
    const [sourceId] = Object.keys(sourceFns);
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: logicalIdOf(uploads) },
      NotificationConfiguration: { LambdaFunctionConfigurations: [{ Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }] } }, LambdaFunctionArn: { 'Fn::GetAtt': [sourceId, 'Arn'] } }] },
    });
    const policies = template.findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement);
    const onUploads = statements.filter((st) => JSON.stringify(st.Resource).includes(logicalIdOf(uploads)));
    // Besides CDK's notifications handler, which puts the bucket's notification configuration at deployment.
    const actions = onUploads.flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action])).filter((a) => a !== 's3:PutBucketNotification');
    expect(actions.sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
  });

  it('leaves no cdk-nag AwsSolutions finding unacknowledged in the construct', () => {
    expect(Annotations.fromStack(stack).findError('/Lake/Kafkaless/*', Match.anyValue())).toEqual([]);
  });

  it('refuses a bad config at synthesis, an InvalidConfig error naming every problem', () => {
    let error: unknown;
    try {
      kafkaless.connect('bad', { config: { 'connector.class': 'S3Sink', topics: 'a', 'topics.regex': 'b.*', 'flush.size': 0, 'errors.tolerance': 'some', 'value.converter': 'avro', 'flush.sise': 3 } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(KafkalessError);
    expect((error as KafkalessError).code).toBe('InvalidConfig');
    expect((error as Error).message).toBe(
      "Invalid connector config 'bad':\n" +
        "- errors.tolerance must be one of none, all; got 'some'\n" +
        "- value.converter must be one of json, string, bytes, org.apache.kafka.connect.json.JsonConverter, org.apache.kafka.connect.storage.StringConverter, org.apache.kafka.connect.converters.ByteArrayConverter; got 'avro'\n" +
        '- flush.sise is not a setting of this connector\n' +
        '- give exactly one of topics and topics.regex\n' +
        '- s3.bucket.name is required\n' +
        "- flush.size must be a whole number from 1 to 10000, got '0'",
    );
    expect(() => kafkaless.connect('orders-lake', { bucket, config: { 'connector.class': 'S3Sink', topics: 'x', 'flush.size': 1 } })).toThrow("a connector named 'orders-lake' exists already");
  });
});

/** A template value as CloudFormation resolves it, each Ref a resource's physical name `<logical id>-physical`. */
function resolved(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { Ref?: string; 'Fn::Join'?: [string, unknown[]] };
  if (v.Ref !== undefined) return `${v.Ref}-physical`;
  if (v['Fn::Join'] !== undefined) return v['Fn::Join'][1].map(resolved).join(v['Fn::Join'][0]);
  throw new Error(`unexpected template value ${JSON.stringify(value)}`);
}

describe("a KafkalessStack's connectors", () => {
  it('are listed in its Connectors output with the trigger function, as kafkaless connect --stack reads them; cdk-nag clean', () => {
    const { app, stack: kstack } = buildApp({ kafkaless: { projectRoot: project.root } });
    const lake = new Bucket(kstack, 'Lake', { enforceSSL: true, serverAccessLogsPrefix: 'logs/' });
    const sink = kstack.kafkaless.connect('orders-lake', { bucket: lake, config: { 'connector.class': 'S3Sink', 'topics.regex': 'orders-.*', 'tasks.max': 2, 'flush.size': 10 } });
    const files = new Bucket(kstack, 'Files', { enforceSSL: true, serverAccessLogsPrefix: 'logs/' });
    const source = kstack.kafkaless.connect('files', { bucket: files, config: { 'connector.class': 'S3Source', topic: 'files' } });
    app.synth();
    expect(Annotations.fromStack(kstack).findError('*', Match.anyValue())).toEqual([]);

    const outputs = Template.fromStack(kstack).toJSON()['Outputs'] as Record<string, { Value: unknown }>;
    const values = Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, resolved(output.Value)]));
    const trigger = kstack.kafkaless.functions.trigger;
    expect(trigger).toBeDefined();
    expect(values[OUTPUTS.functionName('trigger')]).toBe(`${logicalIdOf(trigger!)}-physical`);
    expect(connectorsFromOutputs('Kafkaless', values)).toEqual({
      partitionsTable: `${logicalIdOf(kstack.kafkaless.tables.partitions)}-physical`,
      triggerFunction: `${logicalIdOf(trigger!)}-physical`,
      connectors: [
        { name: 'orders-lake', connectorClass: 'S3Sink', topics: [], topicsRegex: 'orders-.*', tasksMax: 2, groupId: 'connect-orders-lake', functionName: `${logicalIdOf(sink.fn)}-physical` },
        { name: 'files', connectorClass: 'S3Source', topics: ['files'], tasksMax: 1, groupId: 'connect-files', functionName: `${logicalIdOf(source.fn)}-physical` },
      ],
    });
  });

  it('are none for a stack that declares none; a stack without the partitions table output is refused', () => {
    expect(connectorsFromOutputs('Kafkaless', { [OUTPUTS.tableName('partitions')]: 'p' })).toEqual({ partitionsTable: 'p', connectors: [] });
    expect(() => connectorsFromOutputs('Other', {})).toThrow("Stack 'Other' has no PartitionsTableName output");
    expect(() => connectorsFromOutputs('Odd', { [OUTPUTS.tableName('partitions')]: 'p', [OUTPUTS.connectors]: '[{"name":1}]' })).toThrow(KafkalessError);
  });
});
