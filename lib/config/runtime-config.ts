/**
 * A function's configuration, read once from its environment and frozen.
 * A function reads exactly the variables the stack gives it (`envNamesFor`);
 * a missing one fails fast with a message naming it.
 */
import { ENV, FUNCTIONS, TABLE_ROLES, TABLES, envNamesFor, type FunctionRole, type TableRole } from '../names.js';

export interface RuntimeConfig {
  readonly role: FunctionRole;
  readonly tables: Readonly<Partial<Record<TableRole, string>>>;
  readonly bucket?: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export function loadRuntimeConfig(role: FunctionRole, env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const missing = envNamesFor(role).filter((name) => name !== ENV.logLevel && !env[name]);
  if (missing.length > 0) {
    throw new Error(`The ${role} function is missing environment variable(s) ${missing.join(', ')}; deploy it with the kafkaless stack, which sets them.`);
  }
  const tables: Partial<Record<TableRole, string>> = {};
  for (const table of TABLE_ROLES) {
    if (FUNCTIONS[role].tables[table] !== undefined) tables[table] = env[TABLES[table].env]!;
  }
  const level = env[ENV.logLevel] ?? 'info';
  const logLevel = (LOG_LEVELS as readonly string[]).includes(level) ? (level as RuntimeConfig['logLevel']) : 'info';
  const bucket = FUNCTIONS[role].bucket !== 'none' ? env[ENV.bucket] : undefined;
  return Object.freeze({ role, tables: Object.freeze(tables), ...(bucket !== undefined ? { bucket } : {}), logLevel });
}
