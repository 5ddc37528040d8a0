/**
 * A function's configuration, read once from its environment and frozen.
 * A function reads exactly the variables the stack gives it (`envNamesFor`);
 * a missing one fails fast with a message naming it. A gateway container
 * reads the variables of every function it runs (`GATEWAY_ROLES`) the same way.
 */
import { ENV, TABLE_ROLES, TABLES, envNamesForRoles, type EnvName, type FunctionRole, type TableRole } from '../names.js';

export interface DataConfig {
  readonly tables: Readonly<Partial<Record<TableRole, string>>>;
  readonly bucket?: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export interface RuntimeConfig extends DataConfig {
  readonly role: FunctionRole;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export function loadRuntimeConfig(role: FunctionRole, env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  return Object.freeze({ role, ...loadDataConfig([role], `The ${role} function`, env) });
}

/** The tables, bucket and log level that the functions of `roles` read, from `env`. */
export function loadDataConfig(roles: readonly FunctionRole[], who: string, env: NodeJS.ProcessEnv = process.env): DataConfig {
  const names: readonly EnvName[] = envNamesForRoles(roles);
  const missing = names.filter((name) => name !== ENV.logLevel && !env[name]);
  if (missing.length > 0) {
    throw new Error(`${who} is missing environment variable(s) ${missing.join(', ')}; deploy it with the kafkaless stack, which sets them.`);
  }
  const tables: Partial<Record<TableRole, string>> = {};
  for (const table of TABLE_ROLES) {
    if (names.includes(TABLES[table].env)) tables[table] = env[TABLES[table].env]!;
  }
  const level = env[ENV.logLevel] ?? 'info';
  const logLevel = (LOG_LEVELS as readonly string[]).includes(level) ? (level as DataConfig['logLevel']) : 'info';
  const bucket = names.includes(ENV.bucket) ? env[ENV.bucket] : undefined;
  return Object.freeze({ tables: Object.freeze(tables), ...(bucket !== undefined ? { bucket } : {}), logLevel });
}
