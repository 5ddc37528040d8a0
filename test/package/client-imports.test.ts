/**
 * The client's layering (DESIGN.md §5): a function that imports `kafkaless`
 * bundles no broker, storage, CDK or local-stack code and no S3 or DynamoDB
 * client; the broker comes only with `kafkaless/embedded`. And `kafkaless
 * --help` evaluates no AWS SDK: each subcommand's module loads when it runs.
 */
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { importGraph, packagesOf } from './import-graph.js';
import type { ImportGraph } from './import-graph.js';

const SERVER_SIDE_FOLDERS = /^lib\/(broker|storage|infra|local)\//;
const SERVER_SIDE_PACKAGES = [
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/client-s3',
  '@aws-sdk/client-sns',
  '@aws-sdk/client-sqs',
  '@aws-sdk/lib-dynamodb',
  'amplify-dynamodb-simulator',
  'aws-cdk-lib',
  'cdk-nag',
  'constructs',
  'esbuild',
  's3rver',
];

describe('the client entry (kafkaless)', () => {
  let graph: ImportGraph;
  beforeAll(async () => {
    graph = await importGraph('lib/client/index.ts');
  });

  it('pulls in no broker, storage, infra or local code', () => {
    expect(graph.all.filter((file) => SERVER_SIDE_FOLDERS.test(file))).toEqual([]);
    expect(packagesOf(graph.all).filter((name) => SERVER_SIDE_PACKAGES.includes(name))).toEqual([]);
    expect(packagesOf(graph.all)).toContain('@aws-sdk/client-lambda');
  });

  it('leaves the broker to the embedded entry (kafkaless/embedded)', async () => {
    const embedded = await importGraph('lib/client/transports/embedded.ts', { packages: 'external' });
    expect(embedded.all.some((file) => file.startsWith('lib/broker/'))).toBe(true);
    expect(embedded.all.filter((file) => /^lib\/(infra|local)\//.test(file))).toEqual([]);
  });

  it('evaluates the CloudFormation client only when a stack name is looked up', () => {
    expect(packagesOf(graph.all)).toContain('@aws-sdk/client-cloudformation');
    expect(graph.staticPackages).not.toContain('@aws-sdk/client-cloudformation');
  });
});

describe('the trigger function', () => {
  it('evaluates the SQS and SNS clients only when a subscription has such an on-failure destination', async () => {
    const graph = await importGraph('lambdas/trigger.ts', { packages: 'external' });
    expect(graph.all).toContain('lib/aws/message-clients.ts');
    expect(graph.static).not.toContain('lib/aws/message-clients.ts');
    expect(graph.staticPackages.filter((name) => name === '@aws-sdk/client-sqs' || name === '@aws-sdk/client-sns')).toEqual([]);
  });

  it('is the only function whose bundle holds the SQS and SNS clients', async () => {
    const others = readdirSync('lambdas').filter((file) => file.endsWith('.ts') && file !== 'trigger.ts');
    expect(others.length).toBeGreaterThan(0);
    for (const file of others) {
      const graph = await importGraph(`lambdas/${file}`, { packages: 'external' });
      expect([file, graph.all.filter((f) => f === 'lib/aws/message-clients.ts' || f === 'lib/triggers/message-destination.ts')]).toEqual([file, []]);
    }
  });
});

describe('the CLI', () => {
  it('evaluates only commander and the error types before a subcommand is chosen', async () => {
    const graph = await importGraph('bin/cli/main.ts', { packages: 'external' });
    expect(graph.staticPackages).toEqual(['commander']);
    expect(graph.static.filter((file) => !file.includes('node_modules/')).sort()).toEqual(['bin/cli/main.ts', 'bin/cli/subcommands.ts', 'lib/errors.ts']);
  });
});
