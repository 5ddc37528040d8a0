/**
 * The cdk-nag AwsSolutions findings this construct accepts, each with its
 * reason. Recorded with CDK's `Validations.of(...).acknowledge`, which is
 * how cdk-nag v3 reads suppressions.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export const S1_REASON =
  'Server access logging is opt-in (serverAccessLogsBucket): every produce and fetch ' +
  'is an S3 request, so per-request logs would cost about as much as the log itself. ' +
  'Only the stack\'s own functions (least-privilege roles) and explicitly granted ' +
  'principals can reach the bucket; use CloudTrail S3 data events for an audit trail.';

export const IAM5_OBJECTS_REASON =
  'Object-level S3 actions (GetObject, PutObject, DeleteObject) can only be scoped to ' +
  'object ARNs; "<bucket ARN>/*" names the objects of this one bucket, nothing wider. ' +
  'Keys are made at runtime (ingest/<hex>/<date>/<ulid>, topics/<topicId>/...).';

/** cdk-nag's id for "this policy grants on every object of the bucket". */
export function bucketObjectsFindingId(bucket: Bucket): string {
  const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnBucket);
  return `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/*]`;
}

/** Acknowledges, on `scope` and everything under it, what the construct needs. */
export function acknowledgeFindings(scope: Construct, bucket: Bucket, hasAccessLogs: boolean): void {
  const validations = Validations.of(scope);
  if (!hasAccessLogs) validations.acknowledge({ id: 'AwsSolutions-S1', reason: S1_REASON });
  validations.acknowledge({ id: bucketObjectsFindingId(bucket), reason: IAM5_OBJECTS_REASON });
}
