import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAINTENANCE_SCHEDULE } from '../../lib/infra/defaults.js';
import { Kafkaless } from '../../lib/infra/kafkaless.js';
import { createFixtureProject, type FixtureProject } from '../infra/fixture-project.js';

let project: FixtureProject;
let stack: Stack;
let template: Template;

beforeAll(() => {
  project = createFixtureProject();
  stack = new Stack(new App(), 'Scheduled');
  new Kafkaless(stack, 'Hourly', { projectRoot: project.root, maintenanceSchedule: Schedule.rate(Duration.hours(1)) });
  template = Template.fromStack(stack);
});
afterAll(() => project?.remove());

function maintenanceFunctionIds(): string[] {
  return Object.entries(template.findResources('AWS::Lambda::Function'))
    .filter(([, fn]) => String(fn['Properties']['Description']).startsWith('segment compaction'))
    .map(([id]) => id);
}

describe('the maintenance schedule', () => {
  it('runs maintenance every five minutes by default, and as often as asked otherwise', () => {
    expect(DEFAULT_MAINTENANCE_SCHEDULE.expressionString).toBe('rate(5 minutes)');
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    expect(rules.map((r) => r['Properties']['ScheduleExpression'])).toEqual(['rate(1 hour)']);
  });

  it('invokes the maintenance function with the scheduled event, without retries', () => {
    const ids = maintenanceFunctionIds();
    for (const rule of Object.values(template.findResources('AWS::Events::Rule'))) {
      const [target] = rule['Properties']['Targets'];
      expect(ids).toContain(target['Arn']['Fn::GetAtt'][0]);
      expect(target['Input']).toBeUndefined();
      expect(target['RetryPolicy']).toEqual({ MaximumRetryAttempts: 0 });
    }
    expect(Object.keys(template.findResources('AWS::Lambda::Permission'))).toHaveLength(1);
  });

  it('leaves no cdk-nag AwsSolutions finding unacknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });
});
