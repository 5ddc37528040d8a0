import { describe, expect, it } from 'vitest';
import { readTemplate } from '../../lib/local/template.js';
import { handMadeTemplate } from './fixtures/template.js';

const options = { stackName: 'Kafkaless', assemblyDir: '/tmp/assembly', region: 'us-east-1' };

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>;

function withResources(edit: (resources: Resources) => void): Record<string, unknown> {
  const template = handMadeTemplate('asset.abc123') as { Resources: Resources };
  edit(template.Resources);
  return template;
}

describe('template reading', () => {
  it('builds on-demand CreateTable inputs with deterministic local names and TTL', () => {
    const { tables } = readTemplate(handMadeTemplate('asset.abc123'), options);
    const groups = tables.find((table) => table.role === 'groups');
    expect(groups?.tableName).toBe('Kafkaless-GroupsTableB1E5A1D2');
    expect(groups?.spec.ttlAttribute).toBe('expiresAt');
    expect(groups?.spec.input).toEqual({
      TableName: 'Kafkaless-GroupsTableB1E5A1D2',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    expect(tables.find((table) => table.role === 'topics')?.spec.ttlAttribute).toBeUndefined();
  });

  it('names the bucket with a valid lowercase S3 name', () => {
    const { buckets } = readTemplate(handMadeTemplate('asset.abc123'), options);
    expect(buckets).toEqual([{ logicalId: 'BucketLog83908E77', bucketName: 'kafkaless-kafkaless-bucketlog83908e77' }]);
  });

  it('serves role functions with their bundle, limits and environment resolved to local names', () => {
    const { functions } = readTemplate(handMadeTemplate('asset.abc123'), options);
    expect(functions.map((fn) => fn.role)).toEqual(['admin', 'produce']);
    const [admin, produce] = functions;
    expect(admin).toEqual({
      logicalId: 'AdminFunction3D6C1C5A',
      role: 'admin',
      functionName: 'Kafkaless-admin',
      codeDir: '/tmp/assembly/asset.abc123',
      handler: 'index.handler',
      timeoutSeconds: 30,
      memorySizeMb: 1024,
      environment: {
        KAFKALESS_TOPICS_TABLE: 'Kafkaless-TopicsTable1C0B8F3E',
        KAFKALESS_GROUPS_TABLE: 'Kafkaless-GroupsTableB1E5A1D2',
        KAFKALESS_LOG_LEVEL: 'info',
      },
    });
    expect(produce).toMatchObject({ timeoutSeconds: 3, memorySizeMb: 128 });
    expect(produce?.environment.KAFKALESS_BUCKET).toBe('kafkaless-kafkaless-bucketlog83908e77');
  });

  it('maps roles by logical id when the template has no path metadata', () => {
    const template = withResources((resources) => {
      for (const resource of Object.values(resources)) delete resource.Metadata?.['aws:cdk:path'];
    });
    const { functions, tables } = readTemplate(template, options);
    expect(functions.map((fn) => fn.role)).toEqual(['admin', 'produce']);
    expect(tables.map((table) => table.role)).toEqual(['topics', 'groups']);
  });

  it("names queues and SNS topics as a Ref does on AWS (URL, ARN), though it serves neither: a subscription's on-failure destination refers to one", () => {
    const template = withResources((r) => {
      r.FailedQueue1A2B3C4D = { Type: 'AWS::SQS::Queue' };
      r.FailedTopic1A2B3C4D = { Type: 'AWS::SNS::Topic' };
      const produce = r.ProduceFunction8E1A2B3C!.Properties!.Environment as { Variables: Record<string, unknown> };
      produce.Variables.QUEUE = { Ref: 'FailedQueue1A2B3C4D' };
      produce.Variables.TOPIC = { Ref: 'FailedTopic1A2B3C4D' };
    });
    const produce = readTemplate(template, options).functions.find((fn) => fn.role === 'produce')!;
    expect(produce.environment.QUEUE).toMatch(/^https:\/\/sqs\.us-east-1\.amazonaws\.com\/\d{12}\/Kafkaless-FailedQueue1A2B3C4D$/);
    expect(produce.environment.TOPIC).toMatch(/^arn:aws:sns:us-east-1:\d{12}:Kafkaless-FailedTopic1A2B3C4D$/);
  });

  it('rejects Fn::GetAtt in a function environment with a clear error', () => {
    const template = withResources((resources) => {
      const variables = (resources.AdminFunction3D6C1C5A?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      variables.KAFKALESS_TOPICS_TABLE = { 'Fn::GetAtt': ['TopicsTable1C0B8F3E', 'Arn'] };
    });
    expect(() => readTemplate(template, options)).toThrow(
      /function AdminFunction3D6C1C5A \(admin\): environment variable KAFKALESS_TOPICS_TABLE uses Fn::GetAtt, which the local stack cannot resolve/,
    );
  });

  it('asks for asset metadata when a function has no bundle path', () => {
    const template = withResources((resources) => {
      delete resources.ProduceFunction8E1A2B3C?.Metadata?.['aws:asset:path'];
    });
    expect(() => readTemplate(template, options)).toThrow(/aws:cdk:enable-asset-metadata/);
  });

  it('rejects something that is not a template', () => {
    expect(() => readTemplate({ Outputs: {} }, options)).toThrow(/Not a CloudFormation template/);
  });
});
