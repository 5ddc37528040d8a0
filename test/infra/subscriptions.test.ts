/**
 * `Kafkaless.subscribe`: the stream on the partitions table, the trigger
 * function with its subscriptions, the event source mapping, the right to
 * invoke the subscribed function and nothing wider; cdk-nag clean.
 */
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Code, FilterCriteria, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafkaless } from '../../lib/infra/kafkaless.js';
import { SUBSCRIPTIONS_ENV } from '../../lib/names.js';
import { createFixtureProject, type FixtureProject } from './fixture-project.js';
import { logicalIdOf } from './template-helpers.js';

let project: FixtureProject;
let stack: Stack;
let kafkaless: Kafkaless;
let consumer: LambdaFunction;
let template: Template;
let failures: Bucket;
let failedQueue: Queue;
let failedTopic: Topic;
let messageKey: Key;

function userFunction(scope: Stack, id: string): LambdaFunction {
  const fn = new LambdaFunction(scope, id, { code: Code.fromInline('export const handler = async () => ({});'), handler: 'index.handler', runtime: Runtime.NODEJS_24_X, timeout: Duration.seconds(20) });
  Validations.of(fn).acknowledge({ id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: "the test's own function, not the construct's" });
  return fn;
}

beforeAll(() => {
  project = createFixtureProject();
  const app = new App();
  stack = new Stack(app, 'Orders');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  kafkaless = new Kafkaless(stack, 'Kafkaless', { projectRoot: project.root });
  consumer = userFunction(stack, 'OrderConsumer');
  kafkaless.subscribe(consumer, { topics: ['orders'], batchSize: 50, maxBatchingWindow: Duration.seconds(2), retryAttempts: 3, bisectBatchOnError: true, reportBatchItemFailures: true, onFailure: { topic: 'orders-dlt' }, startingPosition: 'TRIM_HORIZON' });
  failures = new Bucket(stack, 'Failures', { enforceSSL: true });
  Validations.of(failures).acknowledge({ id: 'AwsSolutions-S1', reason: "the test's own bucket" });
  kafkaless.subscribe(userFunction(stack, 'Payments'), { topics: ['payments'], onFailure: { bucket: failures } });
  messageKey = new Key(stack, 'MessageKey', { enableKeyRotation: true });
  failedQueue = new Queue(stack, 'FailedQueue', { encryptionMasterKey: messageKey, enforceSSL: true });
  Validations.of(failedQueue).acknowledge({ id: 'AwsSolutions-SQS3', reason: "the test's own queue: it is the dead-letter destination" });
  failedTopic = new Topic(stack, 'FailedTopic', { masterKey: messageKey, enforceSSL: true });
  kafkaless.subscribe(userFunction(stack, 'Refunds'), { topics: ['refunds'], onFailure: { queue: failedQueue } });
  kafkaless.subscribe(userFunction(stack, 'Invoices'), { topics: ['invoices'], onFailure: { snsTopic: failedTopic } });
  kafkaless.subscribe(userFunction(stack, 'Audit'), { topics: ['orders', 'payments'], groupId: 'audit', exactlyOnce: true, filters: [FilterCriteria.filter({ value: { type: ['order'] } })] });
  template = Template.fromStack(stack);
});

afterAll(() => project.remove());

function triggerEnvironment(): Record<string, unknown> {
  const fns = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^subscriptions') } });
  expect(Object.keys(fns)).toHaveLength(1);
  return (Object.values(fns)[0] as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties.Environment.Variables;
}

describe('a subscription', () => {
  it('turns on the partitions table stream with new and old images', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } });
    expect(Object.keys(template.findResources('AWS::DynamoDB::Table', { Properties: { StreamSpecification: Match.anyValue() } }))).toHaveLength(1);
  });

  it('maps the stream to one trigger function: head changes only, partial batch responses, retried until done', () => {
    const partitions = logicalIdOf(kafkaless.tables.partitions);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [partitions, 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: -1,
      MaximumBatchingWindowInSeconds: 0,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { highWatermark: { N: [{ exists: true }] } } } }) }] },
    });
  });

  it('gives the trigger every subscription, each option resolved, the function by name', () => {
    const value = triggerEnvironment()[SUBSCRIPTIONS_ENV];
    const json = JSON.stringify(stack.resolve(value));
    expect(json).toContain(logicalIdOf(consumer));
    expect(json).toContain('\\"name\\":\\"OrderConsumer\\"');
    expect(json).toContain('\\"groupId\\":\\"kafkaless-OrderConsumer\\"');
    expect(json).toContain('\\"batchSize\\":50');
    expect(json).toContain('\\"onFailureTopic\\":\\"orders-dlt\\"');
    expect(json).toContain('\\"functionTimeoutMs\\":20000');
    expect(json).toContain('\\"groupId\\":\\"audit\\"');
    expect(json.match(/exactlyOnce/g)).toHaveLength(1);
    expect(json).toContain('\\"exactlyOnce\\":true');
    expect(json).toContain('\\"filterPatterns\\":[\\"{\\\\\\"value\\\\\\":{\\\\\\"type\\\\\\":[\\\\\\"order\\\\\\"]}}\\"]');
  });

  it("lets the trigger put failure objects under an S3 on-failure destination's subscription prefix", () => {
    const bucket = logicalIdOf(failures);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/aws/lambda/Payments/*']] } })]) },
    });
    expect(JSON.stringify(stack.resolve(triggerEnvironment()[SUBSCRIPTIONS_ENV]))).toContain(`\\"onFailureBucket\\":\\"",{"Ref":"${bucket}"}`);
  });

  it('lets the trigger send to an SQS or SNS on-failure destination, that queue or topic only, and use its key to encrypt', () => {
    const queue = logicalIdOf(failedQueue);
    const topic = logicalIdOf(failedTopic);
    const statements = (action: string): unknown[] =>
      Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: { Action: unknown }[] } } }).Properties.PolicyDocument.Statement).filter((st) => JSON.stringify(st.Action).includes(action));
    expect(statements('sqs:')).toEqual([{ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: { 'Fn::GetAtt': [queue, 'Arn'] } }]);
    expect(statements('sns:')).toEqual([{ Action: 'sns:Publish', Effect: 'Allow', Resource: { Ref: topic } }]);
    expect(statements('kms:Decrypt')).toContainEqual({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [logicalIdOf(messageKey), 'Arn'] } });
    const env = JSON.stringify(stack.resolve(triggerEnvironment()[SUBSCRIPTIONS_ENV]));
    expect(env).toContain(`\\"onFailureQueueUrl\\":\\"",{"Ref":"${queue}"}`);
    expect(env).toContain(`\\"onFailureSnsTopicArn\\":\\"",{"Ref":"${topic}"}`);
  });

  it('has the trigger wake the subscribed partitions on each deploy that changes a subscription, once the mapping exists', () => {
    const resources = template.findResources('Custom::KafkalessSubscriptions');
    expect(Object.keys(resources)).toHaveLength(1);
    const [resource] = Object.values(resources) as { Properties: Record<string, unknown>; DependsOn?: string[] }[];
    const trigger = Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('^subscriptions') } }))[0]!;
    expect(resource!.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [trigger, 'Arn'] });
    expect(resource!.DependsOn).toEqual(expect.arrayContaining([Object.keys(template.findResources('AWS::Lambda::EventSourceMapping'))[0]]));
    expect(stack.resolve(resource!.Properties.Subscriptions)).toEqual(stack.resolve(triggerEnvironment()[SUBSCRIPTIONS_ENV]));
  });

  it('lets the trigger invoke the subscribed functions, by their ARN only', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [logicalIdOf(consumer), 'Arn'] } })]) },
    });
  });

  it('leaves no cdk-nag AwsSolutions finding unacknowledged in the construct', () => {
    const errors = Annotations.fromStack(stack).findError('/Orders/Kafkaless/*', Match.anyValue());
    expect(errors).toEqual([]);
  });

  it('refuses bad options, naming every problem', () => {
    const other = new Stack(new App(), 'Other');
    const k = new Kafkaless(other, 'K', { projectRoot: project.root });
    expect(() => k.subscribe(userFunction(other, 'F'), { topics: [], batchSize: 20_000, retryAttempts: -2, startingPosition: 'AT_TIMESTAMP' })).toThrow(
      "Invalid subscription 'F':\n- topics must name at least one topic\n- batchSize must be a whole number from 1 to 10000, got 20000\n- retryAttempts must be a whole number from 0 to 10000 (or -1), got -2\n- startingPositionTimestamp is given with startingPosition AT_TIMESTAMP, and only then",
    );
    expect(() => k.subscribe(userFunction(other, 'D'), { topics: ['t'], onFailure: {} as never })).toThrow("Invalid subscription 'D':\n- onFailure takes a topic, a bucket, a queue or an snsTopic: one of them");
    expect(() => k.subscribe(userFunction(other, 'Q'), { topics: ['t'], onFailure: { queue: new Queue(other, 'Q1'), snsTopic: new Topic(other, 'T1') } as never })).toThrow('onFailure takes a topic, a bucket, a queue or an snsTopic: one of them');
    expect(() => k.subscribe(userFunction(other, 'E'), { topics: ['t'], filters: [FilterCriteria.filter({ value: { type: 'order' } }), { pattern: 'nope' }] })).toThrow(
      "Invalid subscription 'E':\n- filters[0] value.type must be an array of allowed values or a nested pattern\n- filters[1] is not JSON",
    );
    k.subscribe(userFunction(other, 'G'), { topics: ['t'] });
    expect(() => k.subscribe(userFunction(other, 'H'), { topics: ['t'], name: 'G' })).toThrow("a subscription named 'G' exists already");
  });
});

describe('a construct without subscriptions', () => {
  it('has no stream, no trigger function and no event source mapping', () => {
    const other = new Stack(new App(), 'Plain');
    new Kafkaless(other, 'K', { projectRoot: project.root });
    const t = Template.fromStack(other);
    t.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
    expect(Object.keys(t.findResources('AWS::DynamoDB::Table', { Properties: { StreamSpecification: Match.anyValue() } }))).toHaveLength(0);
  });
});
