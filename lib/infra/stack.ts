/**
 * `KafkalessStack`: the construct plus the outputs clients and the CLI use
 * to find a deployed stack's parts (names from OUTPUTS in names.ts).
 * Environment-agnostic: synthesizes offline, with no account or region.
 */
import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { FUNCTIONS, FUNCTION_ROLES, OUTPUTS, TABLES, TABLE_ROLES } from '../names.js';
import { Kafkaless } from './kafkaless.js';
import type { KafkalessProps } from './kafkaless.js';

export interface KafkalessStackProps extends StackProps {
  /**
   * Props of the Kafkaless construct.
   * @default the construct's defaults
   */
  readonly kafkaless?: KafkalessProps;
}

/**
 * The construct's id. CDK leaves an id of 'Default' out of logical ids, so
 * each function's logical id starts with functionConstructId(role) and each
 * table's with tableConstructId(role), as names.ts says.
 */
const CONSTRUCT_ID = 'Default';

export class KafkalessStack extends Stack {
  public readonly kafkaless: Kafkaless;

  constructor(scope: Construct, id: string, props: KafkalessStackProps = {}) {
    super(scope, id, {
      description: 'kafkaless: Kafka topics, partitions and consumer groups on Lambda, S3 and DynamoDB',
      ...props,
    });
    this.kafkaless = new Kafkaless(this, CONSTRUCT_ID, props.kafkaless);
    this.addOutputs();
  }

  private addOutputs(): void {
    const { bucket, functions, tables, gateway } = this.kafkaless;
    if (gateway !== undefined) {
      new CfnOutput(this, OUTPUTS.gatewayBootstrap, { value: gateway.bootstrapServers, description: 'Kafka bootstrap.servers: the gateway load balancer' });
    }
    new CfnOutput(this, OUTPUTS.bucket, { value: bucket.bucketName, description: 'S3 bucket holding the log' });
    for (const role of FUNCTION_ROLES) {
      const fn = functions[role];
      if (fn === undefined) continue;
      new CfnOutput(this, OUTPUTS.functionName(role), {
        value: fn.functionName,
        description: `${role} function: ${FUNCTIONS[role].description}`,
      });
    }
    for (const role of TABLE_ROLES) {
      new CfnOutput(this, OUTPUTS.tableName(role), {
        value: tables[role].tableName,
        description: `${role} table: ${TABLES[role].description}`,
      });
    }
  }
}
