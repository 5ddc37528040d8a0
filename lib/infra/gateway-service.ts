/**
 * The Kafka gateway as an ECS Fargate service (arm64) behind a Network Load
 * Balancer: at least two tasks across Availability Zones, autoscaling on
 * CPU and on client connections per task, a TCP health check, logs in
 * CloudWatch, and a task role with exactly the data permissions of the
 * functions it runs in process (GATEWAY_ROLES), plus reading the SASL users'
 * secret when there is one. Metadata advertises the
 * load balancer's name and port, so clients always come back through it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import type { RemovalPolicy } from 'aws-cdk-lib';
import { GatewayVpcEndpointAwsService, Peer, Port, SecurityGroup, SubnetType, Vpc, type IVpc } from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import { Cluster, ContainerImage, ContainerInsights, CpuArchitecture, FargateService, FargateTaskDefinition, LogDrivers, OperatingSystemFamily } from 'aws-cdk-lib/aws-ecs';
import { ListenerCertificate, NetworkLoadBalancer, Protocol, SslPolicy } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { DEFAULT_GATEWAY_PORT, GATEWAY_ENV, GATEWAY_METRICS } from '../names.js';
import { stageGatewayImage } from './gateway-image.js';
import { acknowledgeGatewayFindings } from './nag-acknowledgments.js';
import { GATEWAY_DEFAULTS, type GatewayProps } from './gateway-props.js';
import type { Permission } from './permissions.js';

export interface GatewayServiceOptions {
  readonly projectRoot: string;
  /** The functions' environment for GATEWAY_ROLES: tables, bucket, log level. */
  readonly environment: Readonly<Record<string, string>>;
  readonly permissions: readonly Permission[];
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

export class GatewayService extends Construct {
  public readonly vpc: IVpc;
  public readonly service: FargateService;
  public readonly loadBalancer: NetworkLoadBalancer;
  /** `host:port` of the load balancer: the `bootstrap.servers` of clients. */
  public readonly bootstrapServers: string;

  constructor(scope: Construct, id: string, props: GatewayProps, options: GatewayServiceOptions) {
    super(scope, id);
    const port = props.port ?? GATEWAY_DEFAULTS.port;
    const minTasks = props.minTasks ?? GATEWAY_DEFAULTS.minTasks;
    const vpc = props.vpc ?? this.defaultVpc();
    this.vpc = vpc;

    const logGroup = new LogGroup(this, 'Logs', { retention: options.logRetention, removalPolicy: options.removalPolicy });
    const cluster = new Cluster(this, 'Cluster', { vpc, containerInsightsV2: ContainerInsights.ENABLED });
    const task = new FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu ?? GATEWAY_DEFAULTS.cpu,
      memoryLimitMiB: props.memoryLimitMiB ?? GATEWAY_DEFAULTS.memoryLimitMiB,
      runtimePlatform: { cpuArchitecture: CpuArchitecture.ARM64, operatingSystemFamily: OperatingSystemFamily.LINUX },
    });
    for (const permission of options.permissions) {
      task.addToTaskRolePolicy(new PolicyStatement({ actions: [...permission.actions], resources: [...permission.resources] }));
    }
    const sasl = props.sasl;
    if (sasl !== undefined) {
      // Reading the users' secret, nothing more (no DescribeSecret as grantRead would add).
      task.addToTaskRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [sasl.users.secretFullArn ?? `${sasl.users.secretArn}-??????`] }));
      sasl.users.encryptionKey?.grantDecrypt(task.taskRole);
    }

    const loadBalancerGroup = new SecurityGroup(this, 'LoadBalancerSecurityGroup', { vpc, description: 'kafkaless gateway load balancer: Kafka clients in', allowAllOutbound: false });
    for (const peer of props.allowFrom ?? [Peer.ipv4(vpc.vpcCidrBlock)]) loadBalancerGroup.addIngressRule(peer, Port.tcp(port), 'Kafka clients');
    const taskGroup = new SecurityGroup(this, 'TaskSecurityGroup', { vpc, description: 'kafkaless gateway tasks: the load balancer in, AWS APIs out' });
    taskGroup.addIngressRule(loadBalancerGroup, Port.tcp(DEFAULT_GATEWAY_PORT), 'Kafka from the load balancer, and its health checks');
    loadBalancerGroup.addEgressRule(taskGroup, Port.tcp(DEFAULT_GATEWAY_PORT), 'to the gateway tasks');

    const loadBalancer = new NetworkLoadBalancer(this, 'LoadBalancer', {
      vpc,
      internetFacing: props.internetFacing ?? false,
      crossZoneEnabled: true,
      securityGroups: [loadBalancerGroup],
      vpcSubnets: { subnetType: props.internetFacing === true ? SubnetType.PUBLIC : SubnetType.PRIVATE_WITH_EGRESS },
    });
    this.loadBalancer = loadBalancer;
    this.bootstrapServers = `${loadBalancer.loadBalancerDnsName}:${port}`;
    const serviceName = `${Stack.of(this).stackName}-gateway`;

    task.addContainer('Gateway', {
      image: ContainerImage.fromAsset(stageGatewayImage(options.projectRoot, mkdtempSync(join(tmpdir(), 'kafkaless-gateway-image-'))), { platform: Platform.LINUX_ARM64 }),
      logging: LogDrivers.awsLogs({ logGroup, streamPrefix: 'gateway' }),
      portMappings: [{ containerPort: DEFAULT_GATEWAY_PORT }],
      environment: {
        ...options.environment,
        [GATEWAY_ENV.port]: String(DEFAULT_GATEWAY_PORT),
        [GATEWAY_ENV.advertisedHost]: loadBalancer.loadBalancerDnsName,
        [GATEWAY_ENV.advertisedPort]: String(port),
        [GATEWAY_ENV.metricsNamespace]: GATEWAY_METRICS.namespace,
        [GATEWAY_ENV.metricsService]: serviceName,
        ...(sasl !== undefined ? { [GATEWAY_ENV.usersSecretArn]: sasl.users.secretArn } : {}),
        ...(sasl?.mechanisms !== undefined ? { [GATEWAY_ENV.saslMechanisms]: sasl.mechanisms.join(',') } : {}),
        ...(props.lingerMs !== undefined ? { [GATEWAY_ENV.lingerMs]: String(props.lingerMs) } : {}),
        ...(props.lingerMaxBytes !== undefined ? { [GATEWAY_ENV.lingerMaxBytes]: String(props.lingerMaxBytes) } : {}),
      },
      healthCheck: {
        command: ['CMD', 'node', '-e', `require('net').connect(${DEFAULT_GATEWAY_PORT},'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))`],
        interval: Duration.seconds(10),
        timeout: Duration.seconds(3),
        retries: 3,
        startPeriod: Duration.seconds(10),
      },
      stopTimeout: Duration.seconds(30),
    });

    const service = new FargateService(this, 'Service', {
      cluster,
      taskDefinition: task,
      desiredCount: minTasks,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
      securityGroups: [taskGroup],
      vpcSubnets: props.taskSubnets ?? { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
    });
    this.service = service;

    const listener = loadBalancer.addListener('Kafka', {
      port,
      ...(props.certificate !== undefined
        ? { protocol: Protocol.TLS, certificates: [ListenerCertificate.fromCertificateManager(props.certificate)], sslPolicy: SslPolicy.RECOMMENDED_TLS }
        : { protocol: Protocol.TCP }),
    });
    listener.addTargets('Tasks', {
      port: DEFAULT_GATEWAY_PORT,
      protocol: Protocol.TCP,
      targets: [service],
      deregistrationDelay: Duration.seconds(30),
      healthCheck: { protocol: Protocol.TCP, interval: Duration.seconds(10), healthyThresholdCount: 2, unhealthyThresholdCount: 2 },
    });

    const scaling = service.autoScaleTaskCount({ minCapacity: minTasks, maxCapacity: props.maxTasks ?? Math.max(GATEWAY_DEFAULTS.maxTasks, minTasks) });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: props.targetCpuPercent ?? GATEWAY_DEFAULTS.targetCpuPercent });
    scaling.scaleToTrackCustomMetric('Connections', {
      metric: new Metric({
        namespace: GATEWAY_METRICS.namespace,
        metricName: GATEWAY_METRICS.connections,
        dimensionsMap: { [GATEWAY_METRICS.dimension]: serviceName },
        statistic: 'Average',
        period: Duration.minutes(1),
      }),
      targetValue: props.connectionsPerTask ?? GATEWAY_DEFAULTS.connectionsPerTask,
    });
    acknowledgeGatewayFindings({
      task,
      ...(task.executionRole !== undefined ? { executionRole: task.executionRole } : {}),
      loadBalancer,
      ...(props.vpc === undefined ? { madeVpc: vpc } : {}),
      ...(props.allowFrom === undefined ? { vpcOnlyIngress: loadBalancerGroup } : {}),
    });
  }

  private defaultVpc(): Vpc {
    return new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      gatewayEndpoints: { S3: { service: GatewayVpcEndpointAwsService.S3 }, DynamoDB: { service: GatewayVpcEndpointAwsService.DYNAMODB } },
    });
  }
}
