/** One served API: the versions the gateway advertises, and the mapping of its request onto the broker. */
import type { ApiKey, RequestBodies, ResponseBodies, WireInput } from '../wire/index.js';
import type { BrokerCalls } from './broker-calls.js';
import type { SaslSession } from './sasl/sasl-session.js';
import type { GatewayNode } from './wire-answers.js';

export interface ApiContext {
  readonly broker: BrokerCalls;
  readonly node: GatewayNode;
  readonly clusterId: string;
  readonly version: number;
  /** The request header's client id (null when the client sent none). */
  readonly clientId: string | null;
  /** The client's address as Kafka shows it (`/127.0.0.1`). */
  readonly clientHost: string;
  /**
   * The connection's authenticated principal (`User:alice`; `User:ANONYMOUS` when the gateway has no users), for access control.
   * The gateway always sets it and `sasl`; both are optional so a handler's unit test need not build a connection.
   */
  readonly principal?: string;
  /** The connection's SASL state, for SaslHandshake and SaslAuthenticate. */
  readonly sasl?: SaslSession;
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
