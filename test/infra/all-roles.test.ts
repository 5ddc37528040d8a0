/**
 * The stack with every role FUNCTIONS knows deployed, whatever
 * FUNCTION_ROLES currently lists: adding a role to names.ts must give a
 * correct function with no other change.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../lib/infra/app.js';
import { FUNCTIONS, FUNCTION_ROLES } from '../../lib/names.js';
import { createFixtureProject } from './fixture-project.js';
import type { FixtureProject } from './fixture-project.js';
import { registerFunctionChecks } from './function-checks.js';
import type { Synthesized } from './function-checks.js';

vi.mock('../../lib/names.js', async (importOriginal) => {
  const names = await importOriginal<typeof import('../../lib/names.js')>();
  return { ...names, FUNCTION_ROLES: Object.keys(names.FUNCTIONS) };
});

let project: FixtureProject;
let synth: Synthesized;

beforeAll(() => {
  project = createFixtureProject();
  const { app, stack } = buildApp({ kafkaless: { projectRoot: project.root } });
  synth = { stack, template: Template.fromStack(stack), outdir: app.outdir };
});

afterAll(() => project.remove());

describe('with every role in FUNCTIONS', () => {
  it('deploys every role FUNCTIONS knows', () => {
    expect([...FUNCTION_ROLES].sort()).toEqual(Object.keys(FUNCTIONS).sort());
  });

  registerFunctionChecks(() => synth);

  it('gives maintenance five minutes and every other function thirty seconds', () => {
    const timeouts = Object.values(synth.template.findResources('AWS::Lambda::Function')).map(
      (fn) => [fn['Properties']['Description'], fn['Properties']['Timeout']] as const,
    );
    expect(Object.fromEntries(timeouts)).toEqual(
      Object.fromEntries(FUNCTION_ROLES.map((role) => [FUNCTIONS[role].description, role === 'maintenance' ? 300 : 30])),
    );
  });

  it('leaves no cdk-nag AwsSolutions finding unacknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(synth.stack);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });
});
