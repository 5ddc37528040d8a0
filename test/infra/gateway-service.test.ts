/** The opt-in `gateway` prop: a Fargate service behind a Network Load Balancer, its image asset, its props' checks. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Peer, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/infra/app.js';
import type { GatewayProps } from '../../lib/infra/gateway-props.js';
import { Kafkaless } from '../../lib/infra/kafkaless.js';
import { mergeAccess } from '../../lib/infra/permissions.js';
import { FUNCTIONS, GATEWAY_DOCKERFILE, GATEWAY_ENV, GATEWAY_ROLES, OUTPUTS, TABLES, TABLE_ROLES } from '../../lib/names.js';
import { createFixtureProject, type FixtureProject } from './fixture-project.js';
import type { Synthesized } from './function-checks.js';
import { actionsByResource, expectedTableActions, logicalIdOf, statementsOfRole } from './template-helpers.js';

let project: FixtureProject;
let synth: Synthesized;

beforeAll(() => {
  project = createFixtureProject();
  const { app, stack } = buildApp({ kafkaless: { projectRoot: project.root, gateway: {} } });
  synth = { stack, template: Template.fromStack(stack), outdir: app.synth().directory };
});

afterAll(() => project.remove());

function containerOf(template: Template): { Environment: { Name: string; Value: unknown }[]; LogConfiguration: { LogDriver: string }; HealthCheck: { Command: string[] }; PortMappings: { ContainerPort: number }[]; Image: unknown } {
  const [task] = Object.values(template.findResources('AWS::ECS::TaskDefinition')) as { Properties: { ContainerDefinitions: never[] } }[];
  return task!.Properties.ContainerDefinitions[0]!;
}

describe('the gateway service', () => {
  it('is absent unless asked for', () => {
    const { stack } = buildApp({ nag: false, kafkaless: { projectRoot: project.root } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ECS::Service', 0);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    expect(Object.keys(template.findOutputs(OUTPUTS.gatewayBootstrap))).toEqual([]);
  });

  it('runs at least two arm64 Fargate tasks in private subnets of two Availability Zones', () => {
    synth.template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      Cpu: '1024',
      Memory: '2048',
    });
    synth.template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 2,
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
      DeploymentConfiguration: Match.objectLike({ MinimumHealthyPercent: 100, DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
    });
    const [service] = Object.values(synth.template.findResources('AWS::ECS::Service')) as { Properties: { NetworkConfiguration: { AwsvpcConfiguration: { Subnets: { Ref: string }[] } } } }[];
    const subnets = service!.Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets.map((s) => s.Ref);
    expect(subnets.map((id) => /private/i.test(id))).toEqual([true, true]);
    const zones = subnets.map((id) => JSON.stringify((synth.template.toJSON()['Resources'][id] as { Properties: { AvailabilityZone: unknown } }).Properties.AvailabilityZone));
    expect(new Set(zones).size).toBe(2);
    synth.template.resourceCountIs('AWS::EC2::NatGateway', 1);
    synth.template.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
  });

  it('sits behind an internal Network Load Balancer with a TCP listener and TCP health checks', () => {
    synth.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network', Scheme: 'internal' });
    synth.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 9092, Protocol: 'TCP' });
    synth.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 9092, Protocol: 'TCP', TargetType: 'ip', HealthCheckProtocol: 'TCP' });
    expect(containerOf(synth.template).HealthCheck.Command.slice(0, 2)).toEqual(['CMD', 'node']);
  });

  it('advertises the load balancer, and tells clients its address as a stack output', () => {
    const lbId = logicalIdOf(synth.stack.kafkaless.gateway!.loadBalancer);
    const env = new Map(containerOf(synth.template).Environment.map((e) => [e.Name, e.Value]));
    expect(env.get(GATEWAY_ENV.advertisedHost)).toEqual({ 'Fn::GetAtt': [lbId, 'DNSName'] });
    expect(env.get(GATEWAY_ENV.advertisedPort)).toBe('9092');
    for (const table of TABLE_ROLES) expect(env.get(TABLES[table].env)).toEqual({ Ref: logicalIdOf(synth.stack.kafkaless.tables[table]) });
    const output = Object.values(synth.template.findOutputs(OUTPUTS.gatewayBootstrap))[0] as { Value: unknown };
    expect(output.Value).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [lbId, 'DNSName'] }, ':9092']] });
  });

  it('scales between 2 and 10 tasks on CPU and on connections per task', () => {
    synth.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 10, ScalableDimension: 'ecs:service:DesiredCount' });
    synth.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, TargetValue: 60 }),
    });
    synth.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        CustomizedMetricSpecification: Match.objectLike({ MetricName: 'GatewayConnections', Namespace: 'Kafkaless', Statistic: 'Average' }),
        TargetValue: 1000,
      }),
    });
  });

  it('logs to CloudWatch, and its task role holds exactly the data permissions of the functions it runs', () => {
    expect(containerOf(synth.template).LogConfiguration.LogDriver).toBe('awslogs');
    const { kafkaless } = synth.stack;
    const access = mergeAccess(GATEWAY_ROLES.map((role) => FUNCTIONS[role]));
    const expected = new Map<string, string[]>();
    // Reading and writing objects, never deleting or listing them: that is the collector's alone.
    expect(access.bucket).toBe('readwrite');
    expected.set(`${logicalIdOf(kafkaless.bucket)}.Arn/*`, ['s3:GetObject', 's3:PutObject']);
    for (const table of TABLE_ROLES) {
      const level = access.tables[table];
      if (level !== undefined) expected.set(`${logicalIdOf(kafkaless.tables[table])}.Arn`, expectedTableActions(level));
    }
    const taskRole = kafkaless.gateway!.service.taskDefinition.taskRole;
    expect(actionsByResource(statementsOfRole(synth.template, logicalIdOf(taskRole)))).toEqual(expected);
  });

  it('builds its image for linux/arm64 from the repository\'s Dockerfile and the esbuild bundle of the gateway entry', () => {
    const assets = JSON.parse(readFileSync(join(synth.outdir, `${synth.stack.artifactId}.assets.json`), 'utf8')) as { dockerImages: Record<string, { source: { directory: string; platform?: string } }> };
    const images = Object.values(assets.dockerImages);
    expect(images).toHaveLength(1);
    expect(images[0]!.source.platform).toBe('linux/arm64');
    const dir = join(synth.outdir, images[0]!.source.directory);
    for (const file of ['gateway.mjs', 'gateway.mjs.map', 'zstd.wasm']) expect(existsSync(join(dir, file))).toBe(true);
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toBe(readFileSync(join(project.root, GATEWAY_DOCKERFILE), 'utf8'));
    const instructions = dockerfile.split('\n').filter((line) => /^[A-Z]+ /.test(line));
    expect(instructions.find((l) => l.startsWith('FROM '))).toMatch(/^FROM \S*node:(2[2-9]|[3-9]\d)\b/);
    expect(instructions).toContain('USER node');
    expect(instructions.find((l) => l.startsWith('COPY '))).toBe('COPY gateway.mjs gateway.mjs.map zstd.wasm ./');
    expect(instructions.at(-1)).toBe('CMD ["node", "--enable-source-maps", "gateway.mjs"]');
  });

  it('leaves no cdk-nag AwsSolutions finding unacknowledged', () => {
    expect(new AwsSolutionsChecks().validateScope(synth.stack).violations.map((v) => v.ruleName)).toEqual([]);
  });
});

describe('the gateway props', () => {
  it('terminate TLS with a given certificate, in a given VPC, internet-facing, admitting given peers', () => {
    const app = new App();
    const stack = new Stack(app, 'Own');
    const vpc = new Vpc(stack, 'Mine', { maxAzs: 2 });
    const certificate = Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc');
    new Kafkaless(stack, 'K', { projectRoot: project.root, gateway: { vpc, certificate, internetFacing: true, port: 9094, allowFrom: [Peer.ipv4('10.9.0.0/16')], minTasks: 3, maxTasks: 6, lingerMs: 20, lingerMaxBytes: 8 * 1024 * 1024 } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 9094,
      Protocol: 'TLS',
      Certificates: [{ CertificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc' }],
      SslPolicy: Match.stringLikeRegexp('^ELBSecurityPolicy-TLS13'),
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.9.0.0/16', FromPort: 9094, ToPort: 9094 })] });
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 3, MaxCapacity: 6 });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          Environment: Match.arrayWith([
            { Name: GATEWAY_ENV.lingerMs, Value: '20' },
            { Name: GATEWAY_ENV.lingerMaxBytes, Value: String(8 * 1024 * 1024) },
          ]),
        }),
      ],
    });
  });

  it('are checked, every problem named at once', () => {
    const app = new App();
    const stack = new Stack(app, 'Bad');
    expect(() => new Kafkaless(stack, 'K', { projectRoot: project.root, gateway: { minTasks: 1, cpu: 300, port: 0, taskSubnets: {}, lingerMs: -1 } })).toThrow(
      /gateway\.port must be a whole number from 1 to 65535, got 0[\s\S]*gateway\.minTasks must be a whole number from 2[\s\S]*gateway\.lingerMs must be a whole number from 0 to 1000, got -1[\s\S]*gateway\.cpu must be one of Fargate's sizes[\s\S]*gateway\.taskSubnets needs gateway\.vpc/,
    );
  });
});

describe('the gateway with SASL users', () => {
  const usersArn = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:kafka-users-AbCdEf';

  function withSasl(configure: (stack: Stack) => GatewayProps): { stack: Stack; kafkaless: Kafkaless; template: Template } {
    const app = new App();
    const stack = new Stack(app, 'Sasl');
    const kafkaless = new Kafkaless(stack, 'K', { projectRoot: project.root, gateway: configure(stack) });
    return { stack, kafkaless, template: Template.fromStack(stack) };
  }

  it("tells the tasks the users' secret and mechanisms, and lets the task role read that secret only", () => {
    const { kafkaless, template } = withSasl((stack) => ({ sasl: { users: Secret.fromSecretCompleteArn(stack, 'Users', usersArn), mechanisms: ['SCRAM-SHA-512'] } }));
    const env = new Map(containerOf(template).Environment.map((e) => [e.Name, e.Value]));
    expect(env.get(GATEWAY_ENV.usersSecretArn)).toBe(usersArn);
    expect(env.get(GATEWAY_ENV.saslMechanisms)).toBe('SCRAM-SHA-512');
    const byResource = actionsByResource(statementsOfRole(template, logicalIdOf(kafkaless.gateway!.service.taskDefinition.taskRole)));
    expect([...byResource].filter(([, actions]) => actions.some((a) => a.startsWith('secretsmanager:') || a.startsWith('kms:')))).toEqual([[usersArn, ['secretsmanager:GetSecretValue']]]);
  });

  it("grants kms:Decrypt on the secret's key when it has one", () => {
    const { template } = withSasl((stack) => ({ sasl: { users: new Secret(stack, 'Users', { encryptionKey: new Key(stack, 'UsersKey', { enableKeyRotation: true }) }) } }));
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('UsersKey'), 'Arn'] } })]) },
    });
    const env = containerOf(template).Environment.map((e) => e.Name);
    expect(env).toContain(GATEWAY_ENV.usersSecretArn);
    expect(env).not.toContain(GATEWAY_ENV.saslMechanisms);
  });

  it('leaves no cdk-nag AwsSolutions finding unacknowledged', () => {
    const { stack } = withSasl((s) => ({ sasl: { users: Secret.fromSecretCompleteArn(s, 'Users', usersArn) } }));
    expect(new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('refuses unknown or no mechanisms', () => {
    const app = new App();
    const stack = new Stack(app, 'BadSasl');
    const users = Secret.fromSecretCompleteArn(stack, 'Users', usersArn);
    expect(() => new Kafkaless(stack, 'K', { projectRoot: project.root, gateway: { sasl: { users, mechanisms: ['GSSAPI' as 'PLAIN'] } } })).toThrow(
      'gateway.sasl.mechanisms must list some of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, got [GSSAPI]',
    );
  });
});
