// bin/kafka-app.ts — kafkaless with its Kafka gateway: Fargate tasks behind a Network Load Balancer
import { App, Stack } from 'aws-cdk-lib';
import { Peer } from 'aws-cdk-lib/aws-ec2';
import { Kafkaless } from 'kafkaless/infra';

const app = new App();
const stack = new Stack(app, 'Kafka');
const kafkaless = new Kafkaless(stack, 'Kafkaless', {
  gateway: {
    // vpc: an IVpc of yours (default: a new two-AZ VPC), certificate: an ACM certificate for TLS
    allowFrom: [Peer.ipv4('10.0.0.0/8')],
    minTasks: 2,
    maxTasks: 6,
  },
});

const { template } = app.synth().getStackByName(stack.stackName);
const services = Object.values(template.Resources as Record<string, { Type: string }>).filter((r) => r.Type === 'AWS::ECS::Service');
console.log(`synthesized ${stack.stackName}: ${services.length} gateway service, bootstrap.servers from ${kafkaless.gateway ? 'the load balancer' : 'nowhere'}`);
