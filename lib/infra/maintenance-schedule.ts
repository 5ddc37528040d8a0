/**
 * The EventBridge rule that runs maintenance on a schedule. Each tick
 * invokes the maintenance function with EventBridge's scheduled event,
 * which runs every step on every topic; partition leases keep overlapping
 * runs off each other's partitions. A failed run is not retried: the next
 * tick does the same work.
 */
import { Rule, type Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

export const MAINTENANCE_RULE_ID = 'MaintenanceSchedule';

export function scheduleMaintenance(scope: Construct, fn: IFunction, schedule: Schedule): Rule {
  return new Rule(scope, MAINTENANCE_RULE_ID, {
    schedule,
    description: 'kafkaless maintenance: segment compaction, retention, log compaction, garbage collection',
    targets: [new LambdaFunction(fn, { retryAttempts: 0 })],
  });
}
