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

export const GATEWAY_ENV_REASON =
  'The gateway container\'s environment holds only table and bucket names, ports and the ' +
  'load balancer\'s name (as the functions\' environment does); no secret is passed in it.';

export const GATEWAY_VPC_FLOW_LOGS_REASON =
  'This VPC is made only when no `gateway.vpc` is given; flow logs would be billed per GB of ' +
  'the Kafka traffic it carries. Give a VPC of your own, with flow logs, to have them.';

export const GATEWAY_NLB_ACCESS_LOGS_REASON =
  'Network Load Balancer access logs record only TLS connections; turn them on with ' +
  '`gateway.loadBalancer.logAccessLogs(bucket)` where a record of connections is wanted.';

export const GATEWAY_ECR_TOKEN_REASON =
  'ecr:GetAuthorizationToken has no resource to scope to; ECS\'s execution role needs it ' +
  'to pull the gateway image (the pull itself is scoped to the image\'s repository).';

export const GATEWAY_INGRESS_REASON =
  'The listener admits the VPC\'s own address range (a value CloudFormation resolves, which ' +
  'the rule cannot read); give `gateway.allowFrom` to admit other peers.';

export interface GatewayNagScopes {
  readonly task: Construct;
  readonly executionRole?: Construct;
  readonly loadBalancer: Construct;
  /** The default VPC, when the construct made it. */
  readonly madeVpc?: Construct;
  /** The listener's security group, when it admits only the VPC's own range. */
  readonly vpcOnlyIngress?: Construct;
}

/** Acknowledges what the gateway service needs, each on the one construct it concerns. */
export function acknowledgeGatewayFindings(scopes: GatewayNagScopes): void {
  Validations.of(scopes.task).acknowledge({ id: 'AwsSolutions-ECS2', reason: GATEWAY_ENV_REASON });
  Validations.of(scopes.loadBalancer).acknowledge({ id: 'AwsSolutions-ELB2', reason: GATEWAY_NLB_ACCESS_LOGS_REASON });
  if (scopes.executionRole !== undefined) Validations.of(scopes.executionRole).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: GATEWAY_ECR_TOKEN_REASON });
  if (scopes.madeVpc !== undefined) Validations.of(scopes.madeVpc).acknowledge({ id: 'AwsSolutions-VPC7', reason: GATEWAY_VPC_FLOW_LOGS_REASON });
  if (scopes.vpcOnlyIngress !== undefined) Validations.of(scopes.vpcOnlyIngress).acknowledge({ id: 'AwsSolutions-EC23', reason: GATEWAY_INGRESS_REASON });
}
