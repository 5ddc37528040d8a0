/** A Kafka gateway over this test file's fresh tables and bucket, beside a native kafkaless on the same ones. */
import { createBrokerContext } from '../../lib/broker/context.js';
import { BrokerFunctions } from '../../lib/broker/functions.js';
import { startGateway, type GatewayOptions, type KafkaGateway } from '../../lib/gateway/index.js';
import { createTestKafkaless, type TestKafkaless } from './embedded.js';

export interface TestGateway {
  readonly gateway: KafkaGateway;
  /** host:port for Kafka clients. */
  readonly broker: string;
  readonly native: TestKafkaless;
  close(): Promise<void>;
}

export async function createTestGateway(options: Omit<GatewayOptions, 'functions'> = {}): Promise<TestGateway> {
  const native = await createTestKafkaless();
  const ctx = createBrokerContext({ dynamodb: native.clients.dynamodb, s3: native.clients.s3, tables: native.tables, bucket: native.bucket });
  const gateway = await startGateway({ ...options, functions: new BrokerFunctions(ctx) });
  return {
    gateway,
    broker: `${gateway.host}:${gateway.port}`,
    native,
    async close() {
      await gateway.close();
      await native.close();
    },
  };
}

/** Another gateway over the same tables and bucket as `t`'s (a second instance, as behind a load balancer). */
export async function startSecondGateway(t: TestGateway, options: Omit<GatewayOptions, 'functions'> = {}): Promise<{ readonly gateway: KafkaGateway; readonly broker: string }> {
  const { native } = t;
  const ctx = createBrokerContext({ dynamodb: native.clients.dynamodb, s3: native.clients.s3, tables: native.tables, bucket: native.bucket });
  const gateway = await startGateway({ ...options, functions: new BrokerFunctions(ctx) });
  return { gateway, broker: `${gateway.host}:${gateway.port}` };
}
