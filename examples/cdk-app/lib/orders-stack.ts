/**
 * Your stack: kafkaless's broker (the `Kafkaless` construct), a function
 * that produces orders, one that consumes them on a schedule, and one
 * subscribed to them (invoked with new orders, it writes them enriched to a
 * second topic, exactly once), each allowed to invoke just the kafkaless
 * functions it needs.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { Kafkaless } from 'kafkaless/infra';

export class OrdersStack extends Stack {
  public readonly kafkaless: Kafkaless;
  public readonly producer: NodejsFunction;
  public readonly consumer: NodejsFunction;
  public readonly enricher: NodejsFunction;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.kafkaless = new Kafkaless(this, 'Kafkaless');
    const { produce, fetch, group } = this.kafkaless.functions;

    this.producer = this.ownFunction('OrderProducer', 'src/order-producer.ts', {
      KAFKALESS_PRODUCE_FUNCTION: produce!.functionName,
    });
    this.kafkaless.grantProduce(this.producer); // invoke rights on the produce function only

    this.consumer = this.ownFunction('OrderConsumer', 'src/order-consumer.ts', {
      KAFKALESS_FETCH_FUNCTION: fetch!.functionName,
      KAFKALESS_GROUP_FUNCTION: group!.functionName,
    });
    this.kafkaless.grantConsume(this.consumer); // the fetch and group functions

    // Invoked with new orders (docs/TRIGGERS.md). Exactly once: it answers its output, which the subscription
    // appends to orders-enriched with its offsets in one transaction, so it needs no grant of its own.
    // What it cannot handle after 3 retries goes to orders-dlt.
    this.enricher = this.ownFunction('OrderEnricher', 'src/order-enricher.ts', {});
    this.kafkaless.subscribe(this.enricher, { topics: ['orders'], startingPosition: 'TRIM_HORIZON', retryAttempts: 3, onFailure: { topic: 'orders-dlt' }, exactlyOnce: true });
  }

  /**
   * A function with a role of its own that may only write its own log group
   * (no managed policy, as cdk-nag's AwsSolutions-IAM4 asks), on the newest
   * Node.js runtime (AwsSolutions-L1).
   */
  private ownFunction(id: string, entry: string, environment: Record<string, string>): NodejsFunction {
    const logGroup = new LogGroup(this, `${id}Logs`, { retention: RetentionDays.ONE_MONTH });
    const role = new Role(this, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    );
    return new NodejsFunction(this, id, {
      entry,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: Duration.seconds(30),
      role,
      logGroup,
      environment,
      // The AWS SDK comes from the Lambda runtime; kafkaless's client is bundled.
      bundling: { format: OutputFormat.ESM, minify: true, sourceMap: true },
    });
  }
}
