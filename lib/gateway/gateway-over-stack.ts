/**
 * A gateway over a stack's tables and bucket: its own AWS clients, the
 * broker functions in this process, and a close that also releases the
 * clients. `kafkaless local`, `kafkaless gateway` and the gateway container
 * all start theirs through this.
 */
import { createDynamoDbClient, createS3Client, type AwsClientOptions, type AwsClients } from '../aws/clients.js';
import { createBrokerContext } from '../broker/context.js';
import { BrokerFunctions } from '../broker/functions.js';
import { DEFAULT_AGGREGATION, type AggregationOptions } from '../broker/produce/produce-aggregator.js';
import type { FaultInjector } from '../faults.js';
import type { TableRole } from '../names.js';
import { startGateway, type GatewayOptions, type KafkaGateway } from './server.js';

export interface StackData {
  readonly aws: AwsClientOptions;
  readonly tables: Readonly<Partial<Record<TableRole, string>>>;
  readonly bucket?: string;
  /** Clients to use instead of building them from `aws`; the gateway takes them (its close destroys them). */
  readonly clients?: AwsClients;
  /** Fault injection at the broker's fault points; off unless a test turns it on. */
  readonly faults?: FaultInjector;
}

export interface GatewayOverStackOptions extends Omit<GatewayOptions, 'functions'> {
  /** How produce requests share objects and commits (docs/GATEWAY.md, "Aggregation"); `false` writes each request alone. */
  readonly aggregation?: AggregationOptions | false;
}

export async function startGatewayOverStack(data: StackData, options: GatewayOverStackOptions = {}): Promise<KafkaGateway> {
  const { aggregation = DEFAULT_AGGREGATION, ...gatewayOptions } = options;
  const dynamodb = data.clients?.dynamodb ?? createDynamoDbClient(data.aws);
  const s3 = data.clients?.s3 ?? createS3Client(data.aws);
  const release = () => {
    dynamodb.destroy();
    s3.destroy();
  };
  try {
    const ctx = createBrokerContext({ dynamodb, s3, tables: data.tables, ...(data.bucket !== undefined ? { bucket: data.bucket } : {}), ...(data.faults !== undefined ? { faults: data.faults } : {}) });
    const gateway = await startGateway({ ...gatewayOptions, functions: new BrokerFunctions(ctx, aggregation === false ? {} : { aggregation }) });
    return {
      ...gateway,
      close: async () => {
        await gateway.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** Resolves once SIGINT or SIGTERM arrived and `stop` finished. */
export function untilSignalled(stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((done) => {
    const onSignal = (): void => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      void stop().then(done);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
