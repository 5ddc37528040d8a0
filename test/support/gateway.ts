/** A Kafka gateway over this test file's fresh tables and bucket, beside a native kafkaless on the same ones. */
import { createBrokerContext } from '../../lib/broker/context.js';
import { BrokerFunctions } from '../../lib/broker/functions.js';
import { DEFAULT_AGGREGATION } from '../../lib/broker/produce/produce-aggregator.js';
import { startGateway, type GatewayOptions, type KafkaGateway } from '../../lib/gateway/index.js';
import { createTestKafkaless, type TestKafkaless } from './embedded.js';

export type TestGatewayOptions = Omit<GatewayOptions, 'functions'>;

export interface StartedGateway {
  readonly gateway: KafkaGateway;
  /** host:port for Kafka clients. */
  readonly broker: string;
}

export interface TestGateway extends StartedGateway {
  readonly native: TestKafkaless;
  /**
   * Another gateway over the same tables and bucket, with broker functions
   * (and so caches) of its own, as another process would have. Closed with
   * this one.
   */
  another(options?: TestGatewayOptions): Promise<StartedGateway>;
  close(): Promise<void>;
}

/** A gateway's broker functions aggregate produce requests as `kafkaless gateway`'s do by default. */
async function gatewayOver(native: TestKafkaless, options: TestGatewayOptions): Promise<StartedGateway> {
  const ctx = createBrokerContext({ dynamodb: native.clients.dynamodb, s3: native.clients.s3, tables: native.tables, bucket: native.bucket });
  const gateway = await startGateway({ ...options, functions: new BrokerFunctions(ctx, { aggregation: DEFAULT_AGGREGATION }) });
  return { gateway, broker: `${gateway.host}:${gateway.port}` };
}

export async function createTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const native = await createTestKafkaless();
  const first = await gatewayOver(native, options);
  const others: StartedGateway[] = [];
  return {
    ...first,
    native,
    async another(extra = {}) {
      const other = await gatewayOver(native, extra);
      others.push(other);
      return other;
    },
    async close() {
      await Promise.all([first, ...others].map((g) => g.gateway.close()));
      await native.close();
    },
  };
}

/** Another gateway over the same tables and bucket as `t`'s (a second instance, as behind a load balancer). */
export function startSecondGateway(t: TestGateway, options: TestGatewayOptions = {}): Promise<StartedGateway> {
  return gatewayOver(t.native, options);
}
