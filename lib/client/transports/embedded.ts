/**
 * The embedded transport: runs the broker in this process, with the AWS
 * clients given. Requests and replies take the same JSON round trip as over
 * Lambda, so both transports behave alike. Import it from `kafkaless/embedded`
 * only where wanted: the Lambda transport never loads broker code.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { createBrokerContext } from '../../broker/context.js';
import { BrokerFunctions } from '../../broker/functions.js';
import type { MaintenanceOptions } from '../../broker/maintenance/deps.js';
import type { AggregationOptions } from '../../broker/produce/produce-aggregator.js';
import type { FaultInjector } from '../../faults.js';
import type { FunctionRole, TableRole } from '../../names.js';
import type { InvokeOptions, Transport } from '../transport.js';

export interface EmbeddedTransportOptions {
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly tables: Readonly<Record<TableRole, string>>;
  readonly bucket: string;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly faults?: FaultInjector;
  /** Maintenance tunables (e.g. a short collector grace period in tests). */
  readonly maintenance?: Partial<MaintenanceOptions>;
  /**
   * Produce requests of every producer on this transport handed in within `lingerMs` share one ingest object
   * and one commit (docs/ARCHITECTURE.md, "Aggregation"); off unless given.
   */
  readonly aggregation?: AggregationOptions;
}

export class EmbeddedTransport implements Transport {
  private readonly functions: BrokerFunctions;

  constructor(options: EmbeddedTransportOptions) {
    this.functions = new BrokerFunctions(createBrokerContext(options), {
      ...(options.maintenance !== undefined ? { maintenance: options.maintenance } : {}),
      ...(options.aggregation !== undefined ? { aggregation: options.aggregation } : {}),
    });
  }

  async invoke(role: FunctionRole, request: object, options: InvokeOptions = {}): Promise<unknown> {
    const event = JSON.parse(JSON.stringify(request)) as unknown;
    const reply = this.functions.invoke(role, event).then((r) => JSON.parse(JSON.stringify(r)) as unknown);
    if (options.async === true) {
      reply.catch(() => undefined);
      return undefined;
    }
    return reply;
  }

  async close(): Promise<void> {}
}

export type { AggregationOptions } from '../../broker/produce/produce-aggregator.js';

export function embeddedTransport(options: EmbeddedTransportOptions): EmbeddedTransport {
  return new EmbeddedTransport(options);
}
