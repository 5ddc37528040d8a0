/**
 * grantProduce, grantConsume and grantAdmin, with every role FUNCTIONS knows
 * deployed, on client roles in the user's own stack.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccountRootPrincipal, Role } from 'aws-cdk-lib/aws-iam';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Kafkaless } from '../../lib/infra/kafkaless.js';
import type { GrantOptions } from '../../lib/infra/kafkaless.js';
import { FUNCTIONS, TABLE_ROLES } from '../../lib/names.js';
import type { FunctionRole } from '../../lib/names.js';
import { createFixtureProject } from './fixture-project.js';
import type { FixtureProject } from './fixture-project.js';
import {
  actionsByResource,
  expectedObjectActions,
  expectedTableActions,
  logicalIdOf,
  statementsOfRole,
} from './template-helpers.js';

vi.mock('../../lib/names.js', async (importOriginal) => {
  const names = await importOriginal<typeof import('../../lib/names.js')>();
  return { ...names, FUNCTION_ROLES: Object.keys(names.FUNCTIONS) };
});

type Level = 'read' | 'write' | 'readwrite';
type Grantees = Record<string, IRole>;

let project: FixtureProject;
let kafkaless: Kafkaless;
let template: Template;
let grantees: Grantees;

function clientRole(stack: Stack, id: string): Role {
  return new Role(stack, id, { assumedBy: new AccountRootPrincipal() });
}

beforeAll(() => {
  project = createFixtureProject();
  const stack = new Stack(new App(), 'Client');
  kafkaless = new Kafkaless(stack, 'Kafkaless', { projectRoot: project.root });
  const app = new LambdaFunction(stack, 'ClientApp', {
    code: Code.fromInline('export const handler = async () => 0;'),
    handler: 'index.handler',
    runtime: Runtime.NODEJS_24_X,
  });
  const embedded: GrantOptions = { transport: 'embedded' };
  const roles = {
    producer: clientRole(stack, 'Producer'),
    consumer: clientRole(stack, 'Consumer'),
    admin: clientRole(stack, 'Admin'),
    embeddedProducer: clientRole(stack, 'EmbeddedProducer'),
    embeddedConsumer: clientRole(stack, 'EmbeddedConsumer'),
    embeddedAdmin: clientRole(stack, 'EmbeddedAdmin'),
  };
  kafkaless.grantProduce(roles.producer);
  kafkaless.grantConsume(roles.consumer, { transport: 'lambda' });
  kafkaless.grantAdmin(roles.admin);
  kafkaless.grantProduce(roles.embeddedProducer, embedded);
  kafkaless.grantConsume(roles.embeddedConsumer, embedded);
  kafkaless.grantAdmin(roles.embeddedAdmin, embedded);
  kafkaless.grantProduce(app);
  if (app.role === undefined) throw new Error('the client function has no role');
  grantees = { ...roles, app: app.role };
  template = Template.fromStack(stack);
});

afterAll(() => project.remove());

function granted(grantee: string): Record<string, string[]> {
  const role = grantees[grantee];
  if (role === undefined) throw new Error(`no grantee ${grantee}`);
  const statements = statementsOfRole(template, logicalIdOf(role));
  return Object.fromEntries(actionsByResource(statements));
}

function invokeOf(roles: readonly FunctionRole[]): Record<string, string[]> {
  return Object.fromEntries(
    roles.map((role) => {
      const fn = kafkaless.functions[role];
      if (fn === undefined) throw new Error(`no ${role} function`);
      return [`${logicalIdOf(fn)}.Arn`, ['lambda:InvokeFunction']];
    }),
  );
}

function union(levels: readonly (Level | 'none' | undefined)[]): Level | undefined {
  const read = levels.some((level) => level === 'read' || level === 'readwrite');
  const write = levels.some((level) => level === 'write' || level === 'readwrite');
  if (read && write) return 'readwrite';
  if (read) return 'read';
  return write ? 'write' : undefined;
}

/** What running these roles' code in-process needs, by flattened resource. */
function dataOf(roles: readonly FunctionRole[]): Record<string, string[]> {
  const expected: Record<string, string[]> = {};
  const bucketId = logicalIdOf(kafkaless.bucket);
  const levels = roles.map((role) => FUNCTIONS[role].bucket);
  // `collect` (the collector's) covers every other level and alone deletes and lists.
  const bucket = levels.includes('collect') ? 'collect' : union(levels.filter((level) => level !== 'collect'));
  if (bucket !== undefined) expected[`${bucketId}.Arn/*`] = expectedObjectActions(bucket);
  if (bucket === 'collect') expected[`${bucketId}.Arn`] = ['s3:ListBucket'];
  for (const table of TABLE_ROLES) {
    const level = union(roles.map((role) => FUNCTIONS[role].tables[table]));
    if (level !== undefined) expected[`${logicalIdOf(kafkaless.tables[table])}.Arn`] = expectedTableActions(level);
  }
  return expected;
}

describe('over the lambda transport (the default)', () => {
  it('lets a producer invoke the produce function and nothing else', () => {
    expect(granted('producer')).toEqual(invokeOf(['produce']));
  });

  it('lets a consumer invoke the fetch and group functions and nothing else', () => {
    expect(granted('consumer')).toEqual(invokeOf(['fetch', 'group']));
  });

  it('lets an admin invoke the admin function and nothing else', () => {
    expect(granted('admin')).toEqual(invokeOf(['admin']));
  });

  it('grants a Lambda function through its own role', () => {
    expect(granted('app')).toEqual(invokeOf(['produce']));
  });
});

describe('over the embedded transport', () => {
  it('gives an embedded producer exactly the data access of the produce function', () => {
    expect(granted('embeddedProducer')).toEqual(dataOf(['produce']));
  });

  it('gives an embedded consumer the data access of the fetch and group functions together', () => {
    expect(granted('embeddedConsumer')).toEqual(dataOf(['fetch', 'group']));
  });

  it('gives an embedded admin exactly the data access of the admin function', () => {
    expect(granted('embeddedAdmin')).toEqual(dataOf(['admin']));
  });

  it('never lets an embedded client invoke a function', () => {
    for (const grantee of ['embeddedProducer', 'embeddedConsumer', 'embeddedAdmin']) {
      expect(Object.values(granted(grantee)).flat()).not.toContain('lambda:InvokeFunction');
    }
  });
});

describe('grant options', () => {
  it('rejects an unknown transport with a clear message', () => {
    const options = { transport: 'carrier-pigeon' } as unknown as GrantOptions;
    expect(() => kafkaless.grantProduce(new AccountRootPrincipal(), options)).toThrow(
      "Unknown transport 'carrier-pigeon': use 'lambda' or 'embedded'",
    );
  });
});
