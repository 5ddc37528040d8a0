/**
 * A gateway container's configuration, from its environment: the data of
 * the functions it runs (`GATEWAY_ROLES`), where it listens, the address it
 * advertises (the load balancer's), and where its metrics go. A bad value
 * fails at start with a message naming the variable.
 */
import { DEFAULT_GATEWAY_PORT, GATEWAY_ENV, GATEWAY_ROLES } from '../names.js';
import { loadDataConfig, type DataConfig } from './runtime-config.js';

export interface GatewayConfig extends DataConfig {
  readonly port: number;
  readonly advertisedHost?: string;
  readonly advertisedPort?: number;
  readonly metrics?: { readonly namespace: string; readonly service: string };
}

function portFrom(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`${name} must be a port number from 1 to 65535, got '${raw}'`);
  return port;
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const data = loadDataConfig(GATEWAY_ROLES, 'The Kafka gateway', env);
  const advertisedHost = env[GATEWAY_ENV.advertisedHost] || undefined;
  const advertisedPort = portFrom(env, GATEWAY_ENV.advertisedPort);
  const namespace = env[GATEWAY_ENV.metricsNamespace] || undefined;
  return Object.freeze({
    ...data,
    port: portFrom(env, GATEWAY_ENV.port) ?? DEFAULT_GATEWAY_PORT,
    ...(advertisedHost !== undefined ? { advertisedHost } : {}),
    ...(advertisedPort !== undefined ? { advertisedPort } : {}),
    ...(namespace !== undefined ? { metrics: { namespace, service: env[GATEWAY_ENV.metricsService] || 'kafkaless-gateway' } } : {}),
  });
}
