/**
 * The broker's functions in this process: one handler per function role,
 * built on first use from one context. The embedded transport and the Kafka
 * gateway both run the broker through this.
 */
import type { FunctionRole } from '../names.js';
import type { Reply } from '../protocol/reply.js';
import { clusterIdFor } from './admin/describe-cluster.js';
import { createAdminHandler } from './admin/index.js';
import type { BrokerContext } from './context.js';
import { createFetchHandler } from './fetch/index.js';
import { createGroupHandler } from './groups/index.js';
import type { MaintenanceOptions } from './maintenance/deps.js';
import { createMaintenanceHandler } from './maintenance/index.js';
import type { AggregationOptions } from './produce/produce-aggregator.js';
import { createProduceHandler } from './produce/index.js';

export type FunctionHandler = (event: unknown) => Promise<Reply<unknown>>;

export interface BrokerFunctionsOptions {
  /** Maintenance tunables (e.g. a short collector grace period in tests). */
  readonly maintenance?: Partial<MaintenanceOptions>;
  /**
   * Produce requests handed in within a linger window share one ingest object and one commit
   * (lib/broker/produce/produce-aggregator.ts); off unless given, as one Lambda invocation carries one request.
   */
  readonly aggregation?: AggregationOptions;
}

/** The trigger function is not a broker function: it calls these (lib/triggers). */
type BrokerRole = Exclude<FunctionRole, 'trigger'>;

const FACTORIES: Readonly<Record<BrokerRole, (ctx: BrokerContext, options: BrokerFunctionsOptions) => FunctionHandler>> = {
  admin: (ctx) => createAdminHandler(ctx, () => undefined),
  produce: (ctx, options) => createProduceHandler(ctx, () => undefined, options.aggregation),
  fetch: (ctx) => createFetchHandler(ctx, () => undefined),
  maintenance: (ctx, options) => createMaintenanceHandler(ctx, () => undefined, options.maintenance),
  group: (ctx) => createGroupHandler(ctx, () => undefined),
};

export class BrokerFunctions {
  private readonly handlers = new Map<FunctionRole, FunctionHandler>();

  constructor(
    private readonly ctx: BrokerContext,
    private readonly options: BrokerFunctionsOptions = {},
  ) {}

  /** The cluster id the admin function's describeCluster answers (derived from the topic table's name: nothing is read). */
  clusterId(): string {
    return clusterIdFor(this.ctx.tables.topics);
  }

  /** Runs one request through the function of `role`; protocol errors come back as replies. */
  invoke(role: FunctionRole, event: unknown): Promise<Reply<unknown>> {
    return this.handler(role)(event);
  }

  private handler(role: FunctionRole): FunctionHandler {
    if (role === 'trigger') throw new Error('The trigger function is not served by the broker');
    let handler = this.handlers.get(role);
    if (handler === undefined) {
      handler = FACTORIES[role](this.ctx, this.options);
      this.handlers.set(role, handler);
    }
    return handler;
  }
}
