/**
 * The `gateway` prop of the construct: the Kafka gateway as an ECS Fargate
 * service behind a Network Load Balancer. Off unless given.
 */
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IPeer, IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { SASL_MECHANISMS, type SaslMechanism } from '../gateway/sasl/scram-credential.js';
import { GATEWAY_LINGER_BYTES, GATEWAY_LINGER_MS } from '../limits.js';
import { DEFAULT_GATEWAY_PORT } from '../names.js';

/** SASL authentication of the gateway's clients (docs/GATEWAY.md, Security). */
export interface GatewaySaslProps {
  /**
   * A Secrets Manager secret whose value is a users file (`kafkaless users add NAME --password-stdin --file users.json`):
   * SCRAM credentials per user, no passwords. The tasks re-read it every 5 minutes, so added users can log in without a restart.
   */
  readonly users: ISecret;
  /**
   * The mechanisms clients may use.
   * @default PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512
   */
  readonly mechanisms?: readonly SaslMechanism[];
}

export interface GatewayProps {
  /**
   * The VPC of the tasks and the load balancer.
   * @default a new VPC over two Availability Zones: public and private subnets, one NAT gateway (image pulls and logs), and gateway endpoints for S3 and DynamoDB, so the log's traffic does not pass the NAT
   */
  readonly vpc?: IVpc;
  /**
   * Where the tasks run.
   * @default the VPC's private subnets
   */
  readonly taskSubnets?: SubnetSelection;
  /**
   * A load balancer reachable from the internet (in public subnets) rather than only inside the VPC.
   * @default false
   */
  readonly internetFacing?: boolean;
  /**
   * Who may connect to the listener.
   * @default the VPC's own address range
   */
  readonly allowFrom?: readonly IPeer[];
  /**
   * The listener's port, which Metadata advertises with the load balancer's name.
   * @default 9092
   */
  readonly port?: number;
  /**
   * Terminate TLS on the listener with this certificate (clients set `security.protocol=SSL`).
   * @default none: plain TCP
   */
  readonly certificate?: ICertificate;
  /**
   * Require SASL authentication (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) against the users in a secret; clients set
   * `security.protocol=SASL_SSL` with a certificate, `SASL_PLAINTEXT` without.
   * @default none: any client may connect
   */
  readonly sasl?: GatewaySaslProps;
  /**
   * vCPU of a task, in Fargate's units (1024 = 1 vCPU).
   * @default 1024
   */
  readonly cpu?: number;
  /**
   * Memory of a task in MiB; must suit `cpu` as Fargate requires.
   * @default 2048
   */
  readonly memoryLimitMiB?: number;
  /**
   * The fewest tasks; at least 2, spread across Availability Zones.
   * @default 2
   */
  readonly minTasks?: number;
  /**
   * The most tasks autoscaling may run.
   * @default 10
   */
  readonly maxTasks?: number;
  /**
   * Autoscaling keeps the tasks' average CPU near this.
   * @default 60
   */
  readonly targetCpuPercent?: number;
  /**
   * Autoscaling keeps the average of open client connections per task near this.
   * @default 1000
   */
  readonly connectionsPerTask?: number;
  /**
   * How long a task gathers produce requests — from every connection — into one S3 object and one commit
   * (docs/GATEWAY.md, "Aggregation"). 0 writes each request alone.
   * @default 5
   */
  readonly lingerMs?: number;
  /**
   * The bytes of batches at which a produce window is written at once, before its linger ends.
   * @default 4 MiB
   */
  readonly lingerMaxBytes?: number;
}

export const GATEWAY_DEFAULTS = {
  port: DEFAULT_GATEWAY_PORT,
  cpu: 1024,
  memoryLimitMiB: 2048,
  minTasks: 2,
  maxTasks: 10,
  targetCpuPercent: 60,
  connectionsPerTask: 1000,
} as const;

/** The vCPU sizes Fargate offers (its memory rules per size are checked by ECS at deploy). */
const FARGATE_CPU = [256, 512, 1024, 2048, 4096, 8192, 16384];

function wholeIn(name: string, value: number | undefined, min: number, max: number): string[] {
  if (value === undefined) return [];
  return Number.isInteger(value) && value >= min && value <= max ? [] : [`gateway.${name} must be a whole number from ${min} to ${max}, got ${value}`];
}

/** Every problem with the gateway props, in a stable order. */
export function gatewayPropsProblems(props: GatewayProps): string[] {
  const problems = [
    ...wholeIn('port', props.port, 1, 65_535),
    ...wholeIn('minTasks', props.minTasks, 2, 1000),
    ...wholeIn('maxTasks', props.maxTasks, 2, 1000),
    ...wholeIn('targetCpuPercent', props.targetCpuPercent, 10, 90),
    ...wholeIn('connectionsPerTask', props.connectionsPerTask, 1, 1_000_000),
    ...wholeIn('memoryLimitMiB', props.memoryLimitMiB, 512, 122_880),
    ...wholeIn('lingerMs', props.lingerMs, 0, GATEWAY_LINGER_MS.max),
    ...wholeIn('lingerMaxBytes', props.lingerMaxBytes, GATEWAY_LINGER_BYTES.min, GATEWAY_LINGER_BYTES.max),
  ];
  if (props.cpu !== undefined && !FARGATE_CPU.includes(props.cpu)) problems.push(`gateway.cpu must be one of Fargate's sizes ${FARGATE_CPU.join(', ')}, got ${props.cpu}`);
  const min = props.minTasks ?? GATEWAY_DEFAULTS.minTasks;
  const max = props.maxTasks ?? Math.max(GATEWAY_DEFAULTS.maxTasks, min);
  if (max < min) problems.push(`gateway.maxTasks (${max}) must be at least gateway.minTasks (${min})`);
  const mechanisms = props.sasl?.mechanisms;
  if (mechanisms !== undefined) {
    const unknown = mechanisms.filter((m) => !(SASL_MECHANISMS as readonly string[]).includes(m));
    if (mechanisms.length === 0 || unknown.length > 0) problems.push(`gateway.sasl.mechanisms must list some of ${SASL_MECHANISMS.join(', ')}, got [${mechanisms.join(', ')}]`);
  }
  if (props.vpc === undefined && props.taskSubnets !== undefined) problems.push('gateway.taskSubnets needs gateway.vpc: the VPC made by default has its own subnets');
  return problems;
}
