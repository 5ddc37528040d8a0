/**
 * The embedded transport: runs the broker in this process, with the AWS
 * clients given. Requests and replies take the same JSON round trip as over
 * Lambda, so both transports behave alike. Import it from `kafkaless/embedded`
 * only where wanted: the Lambda transport never loads broker code.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { createBrokerContext, type BrokerContext } from '../../broker/context.js';
import { createAdminHandler } from '../../broker/admin/index.js';
import { createFetchHandler } from '../../broker/fetch/index.js';
import type { MaintenanceOptions } from '../../broker/maintenance/deps.js';
import { createMaintenanceHandler } from '../../broker/maintenance/index.js';
import { createGroupHandler } from '../../broker/groups/index.js';
import { createProduceHandler } from '../../broker/produce/index.js';
import { KafkalessError } from '../../errors.js';
import type { FaultInjector } from '../../faults.js';
import type { FunctionRole, TableRole } from '../../names.js';
import type { Reply } from '../../protocol/reply.js';
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
}

type Handler = (event: unknown) => Promise<Reply<unknown>>;

const HANDLERS: Partial<Record<FunctionRole, (ctx: BrokerContext, options: EmbeddedTransportOptions) => Handler>> = {
  admin: (ctx) => createAdminHandler(ctx, () => undefined),
  produce: (ctx) => createProduceHandler(ctx, () => undefined),
  fetch: (ctx) => createFetchHandler(ctx, () => undefined),
  maintenance: (ctx, options) => createMaintenanceHandler(ctx, () => undefined, options.maintenance),
  group: (ctx) => createGroupHandler(ctx, () => undefined),
};

export class EmbeddedTransport implements Transport {
  private readonly ctx: BrokerContext;
  private readonly handlers = new Map<FunctionRole, Handler>();

  constructor(private readonly options: EmbeddedTransportOptions) {
    this.ctx = createBrokerContext(options);
  }

  async invoke(role: FunctionRole, request: object, options: InvokeOptions = {}): Promise<unknown> {
    const handler = this.handler(role);
    const event = JSON.parse(JSON.stringify(request)) as unknown;
    const reply = handler(event).then((r) => JSON.parse(JSON.stringify(r)) as unknown);
    if (options.async === true) {
      reply.catch(() => undefined);
      return undefined;
    }
    return reply;
  }

  async close(): Promise<void> {}

  private handler(role: FunctionRole): Handler {
    let handler = this.handlers.get(role);
    if (handler === undefined) {
      const factory = HANDLERS[role];
      if (factory === undefined) throw new KafkalessError('UnsupportedVersion', `The embedded transport has no ${role} function yet`);
      handler = factory(this.ctx, this.options);
      this.handlers.set(role, handler);
    }
    return handler;
  }
}

export function embeddedTransport(options: EmbeddedTransportOptions): EmbeddedTransport {
  return new EmbeddedTransport(options);
}
