/** One served API: the versions the gateway advertises, and the mapping of its request onto the broker. */
import type { ApiKey, RequestBodies, ResponseBodies, WireInput } from '../wire/index.js';
import type { BrokerCalls } from './broker-calls.js';
import type { GatewayNode } from './wire-answers.js';

export interface ApiContext {
  readonly broker: BrokerCalls;
  readonly node: GatewayNode;
  readonly clusterId: string;
  readonly version: number;
  /** The request header's client.id ('' when absent) and the connection's remote address. */
  readonly clientId?: string;
  readonly clientHost?: string;
  /** The versions served, for ApiVersions. */
  readonly served: readonly ServedApi[];
}

export interface ApiHandler<K extends ApiKey> {
  readonly apiKey: K;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** The response body, or undefined when Kafka sends none (Produce with acks 0). */
  handle(request: RequestBodies[K], ctx: ApiContext): Promise<WireInput<ResponseBodies[K]> | undefined>;
}

export type ServedApi = { readonly [K in ApiKey]: ApiHandler<K> }[ApiKey];
