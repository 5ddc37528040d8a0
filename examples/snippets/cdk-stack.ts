// bin/orders-app.ts — your CDK app: kafkaless's construct, and a producer function of your own
import { App, Stack } from 'aws-cdk-lib';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Kafkaless } from 'kafkaless/infra';

const app = new App();
const stack = new Stack(app, 'Orders');
const kafkaless = new Kafkaless(stack, 'Kafkaless');
const fn = new NodejsFunction(stack, 'OrderProducer', {
  entry: 'examples/snippets/order-producer.ts', // src/order-producer.ts below
  runtime: Runtime.NODEJS_20_X,
  environment: { KAFKALESS_PRODUCE_FUNCTION: kafkaless.functions.produce!.functionName },
});
kafkaless.grantProduce(fn); // invoke rights on the produce function only
// kafkaless.grantProduce(fn, { transport: 'embedded' }) grants the S3 and DynamoDB access instead

const { template } = app.synth().getStackByName(stack.stackName); // what `npx cdk synth` does
console.log(`synthesized ${stack.stackName}: ${Object.keys(template.Resources).length} resources`);
