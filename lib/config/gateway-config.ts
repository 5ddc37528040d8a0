/**
 * A gateway container's configuration, from its environment: the data of
 * the functions it runs (`GATEWAY_ROLES`), where it listens, the address it
 * advertises (the load balancer's), where its metrics go, and the secret
 * of its SASL users with the mechanisms clients may use. A bad value
 * fails at start with a message naming the variable.
 */
import { isSaslMechanism, type SaslMechanism } from '../gateway/sasl/scram-credential.js';
import { GATEWAY_LINGER_BYTES, GATEWAY_LINGER_MS } from '../limits.js';
import { DEFAULT_GATEWAY_PORT, GATEWAY_ENV, GATEWAY_ROLES } from '../names.js';
import { loadDataConfig, type DataConfig } from './runtime-config.js';

export interface GatewayConfig extends DataConfig {
  readonly port: number;
  readonly advertisedHost?: string;
  readonly advertisedPort?: number;
  readonly metrics?: { readonly namespace: string; readonly service: string };
  /** Clients authenticate with SASL against the users file in this secret. */
  readonly sasl?: { readonly usersSecretArn: string; readonly mechanisms?: readonly SaslMechanism[] };
  /** Produce aggregation (docs/GATEWAY.md, "Aggregation"): a linger of 0 writes each request alone. */
  readonly aggregation: { readonly lingerMs: number; readonly maxBytes: number };
}

function mechanismsFrom(env: NodeJS.ProcessEnv): SaslMechanism[] | undefined {
  const raw = env[GATEWAY_ENV.saslMechanisms];
  if (raw === undefined || raw === '') return undefined;
  const names = raw.split(',').map((name) => name.trim());
  const bad = names.filter((name) => !isSaslMechanism(name));
  if (bad.length > 0 || names.length === 0) throw new Error(`${GATEWAY_ENV.saslMechanisms} must list PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 separated by commas, got '${raw}'`);
  return names as SaslMechanism[];
}

function wholeFrom(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got '${raw}'`);
  return value;
}

function portFrom(env: NodeJS.ProcessEnv, name: string): number | undefined {
  return wholeFrom(env, name, 1, 65_535);
}

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const data = loadDataConfig(GATEWAY_ROLES, 'The Kafka gateway', env);
  const advertisedHost = env[GATEWAY_ENV.advertisedHost] || undefined;
  const advertisedPort = portFrom(env, GATEWAY_ENV.advertisedPort);
  const namespace = env[GATEWAY_ENV.metricsNamespace] || undefined;
  const usersSecretArn = env[GATEWAY_ENV.usersSecretArn] || undefined;
  const mechanisms = mechanismsFrom(env);
  if (mechanisms !== undefined && usersSecretArn === undefined) throw new Error(`${GATEWAY_ENV.saslMechanisms} needs ${GATEWAY_ENV.usersSecretArn}: without users there is nothing to authenticate against`);
  return Object.freeze({
    ...data,
    port: portFrom(env, GATEWAY_ENV.port) ?? DEFAULT_GATEWAY_PORT,
    ...(advertisedHost !== undefined ? { advertisedHost } : {}),
    ...(advertisedPort !== undefined ? { advertisedPort } : {}),
    ...(namespace !== undefined ? { metrics: { namespace, service: env[GATEWAY_ENV.metricsService] || 'kafkaless-gateway' } } : {}),
    ...(usersSecretArn !== undefined ? { sasl: { usersSecretArn, ...(mechanisms !== undefined ? { mechanisms } : {}) } } : {}),
    aggregation: {
      lingerMs: wholeFrom(env, GATEWAY_ENV.lingerMs, 0, GATEWAY_LINGER_MS.max) ?? GATEWAY_LINGER_MS.default,
      maxBytes: wholeFrom(env, GATEWAY_ENV.lingerMaxBytes, GATEWAY_LINGER_BYTES.min, GATEWAY_LINGER_BYTES.max) ?? GATEWAY_LINGER_BYTES.default,
    },
  });
}
