/**
 * The per-function checks, registered for whatever FUNCTION_ROLES holds in
 * the calling test file: the real list, or every role in FUNCTIONS.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { expect, it } from 'vitest';
import { ENV, FUNCTIONS, FUNCTION_ROLES, TABLES, TABLE_ROLES, envNamesFor, functionConstructId } from '../../lib/names.js';
import type { FunctionRole } from '../../lib/names.js';
import type { KafkalessStack } from '../../lib/infra/stack.js';
import {
  actionsByResource,
  expectedObjectActions,
  expectedTableActions,
  logicalIdOf,
  statementsOfRole,
} from './template-helpers.js';

export interface Synthesized {
  readonly stack: KafkalessStack;
  readonly template: Template;
  readonly outdir: string;
}

interface FunctionResource {
  readonly Properties: {
    readonly Runtime: string;
    readonly Architectures: string[];
    readonly Environment: { readonly Variables: Record<string, unknown> };
    readonly Role: unknown;
    readonly LoggingConfig: { readonly LogGroup: unknown };
  };
  readonly Metadata: Record<string, unknown>;
}

function functionOf(synth: Synthesized, role: FunctionRole): { id: string; resource: FunctionResource } {
  const fn = synth.stack.kafkaless.functions[role];
  if (fn === undefined) throw new Error(`no ${role} function`);
  const id = logicalIdOf(fn);
  const resource = synth.template.toJSON()['Resources'][id] as FunctionResource;
  return { id, resource };
}

function roleIdOf(synth: Synthesized, role: FunctionRole): string {
  const fnRole = synth.stack.kafkaless.functions[role]?.role;
  if (fnRole === undefined) throw new Error(`no role for the ${role} function`);
  return logicalIdOf(fnRole);
}

/** What the role of `role`'s function should be allowed, by flattened resource. */
function expectedPermissions(synth: Synthesized, role: FunctionRole): Map<string, string[]> {
  const { kafkaless } = synth.stack;
  const access = FUNCTIONS[role];
  const expected = new Map<string, string[]>();
  const logGroupId = functionOf(synth, role).resource.Properties.LoggingConfig.LogGroup as { Ref: string };
  expected.set(`${logGroupId.Ref}.Arn`, ['logs:CreateLogStream', 'logs:PutLogEvents']);
  const bucketId = logicalIdOf(kafkaless.bucket);
  if (access.bucket !== 'none') expected.set(`${bucketId}.Arn/*`, expectedObjectActions(access.bucket));
  if (access.bucket === 'collect') expected.set(`${bucketId}.Arn`, ['s3:ListBucket']);
  for (const table of TABLE_ROLES) {
    const level = access.tables[table];
    if (level !== undefined) expected.set(`${logicalIdOf(kafkaless.tables[table])}.Arn`, expectedTableActions(level));
  }
  return expected;
}

export function registerFunctionChecks(synthesized: () => Synthesized): void {
  it('makes one function per role in FUNCTION_ROLES, and no other', () => {
    const synth = synthesized();
    const functions = synth.template.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toHaveLength(FUNCTION_ROLES.length);
    for (const role of FUNCTION_ROLES) {
      expect(functionOf(synth, role).id.startsWith(functionConstructId(role))).toBe(true);
    }
  });

  it.each(FUNCTION_ROLES)('runs the %s function on Node.js 22 or newer, on arm64', (role) => {
    const { resource } = functionOf(synthesized(), role);
    const major = /^nodejs(\d+)\.x$/.exec(resource.Properties.Runtime)?.[1];
    expect(Number(major)).toBeGreaterThanOrEqual(22);
    expect(resource.Properties.Architectures).toEqual(['arm64']);
  });

  it.each(FUNCTION_ROLES)('names the bundle folder of the %s function in aws:asset:path', (role) => {
    const synth = synthesized();
    const assetPath = functionOf(synth, role).resource.Metadata['aws:asset:path'];
    expect(typeof assetPath).toBe('string');
    expect(existsSync(join(synth.outdir, String(assetPath), 'index.mjs'))).toBe(true);
  });

  it.each(FUNCTION_ROLES)('gives the %s function exactly envNamesFor(role), pointing at the real bucket and tables', (role) => {
    const synth = synthesized();
    const variables = functionOf(synth, role).resource.Properties.Environment.Variables;
    expect(Object.keys(variables).sort()).toEqual([...envNamesFor(role)].sort());
    const { kafkaless } = synth.stack;
    for (const table of TABLE_ROLES) {
      if (TABLES[table].env in variables) {
        expect(variables[TABLES[table].env]).toEqual({ Ref: logicalIdOf(kafkaless.tables[table]) });
      }
    }
    if (ENV.bucket in variables) expect(variables[ENV.bucket]).toEqual({ Ref: logicalIdOf(kafkaless.bucket) });
    expect(variables[ENV.logLevel]).toBe('info');
  });

  it.each(FUNCTION_ROLES)('allows the role of the %s function exactly the actions its access in FUNCTIONS says', (role) => {
    const synth = synthesized();
    const actual = actionsByResource(statementsOfRole(synth.template, roleIdOf(synth, role)));
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expectedPermissions(synth, role)));
  });

  it.each(FUNCTION_ROLES)('allows the role of the %s function no wildcard action and no "*" resource', (role) => {
    const synth = synthesized();
    const statements = statementsOfRole(synth.template, roleIdOf(synth, role));
    for (const statement of statements) {
      const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
      expect(actions.filter((action) => action.includes('*'))).toEqual([]);
      const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      expect(resources).not.toContain('*');
    }
  });

  it('gives every function a role of its own, with no managed policies', () => {
    const synth = synthesized();
    const roleIds = FUNCTION_ROLES.map((role) => roleIdOf(synth, role));
    expect(new Set(roleIds).size).toBe(FUNCTION_ROLES.length);
    for (const id of roleIds) {
      expect(synth.template.toJSON()['Resources'][id]['Properties']['ManagedPolicyArns']).toBeUndefined();
    }
  });

  it.each(FUNCTION_ROLES)('sends the logs of the %s function to its own log group kept for one month', (role) => {
    const synth = synthesized();
    const logGroup = functionOf(synth, role).resource.Properties.LoggingConfig.LogGroup as { Ref: string };
    const resource = synth.template.toJSON()['Resources'][logGroup.Ref];
    expect(resource['Type']).toBe('AWS::Logs::LogGroup');
    expect(resource['Properties']['RetentionInDays']).toBe(30);
  });
}
