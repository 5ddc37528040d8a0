/**
 * The state file of a running local stack, `<projectRoot>/.kafkaless/local.json`
 * (written by `kafkaless local`): its region, endpoints and resource names.
 * Reading it needs nothing of the local servers, so the client and the CLI
 * find the local stack through this module alone.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FUNCTIONS, TABLE_ROLES, type FunctionRole, type TableRole } from '../names.js';

/** Every role a stack may declare: those always deployed and the trigger of a stack with subscriptions. */
const KNOWN_ROLES = Object.keys(FUNCTIONS) as FunctionRole[];

/** Where a persistent local stack keeps its files, relative to its project root. */
export const LOCAL_DIR = '.kafkaless';

/** The region the local stack reports and its clients sign with. */
export const LOCAL_REGION = 'us-east-1';

/** Credentials for local services, which accept any. */
export const LOCAL_CREDENTIALS: Readonly<{ accessKeyId: string; secretAccessKey: string }> = Object.freeze({
  accessKeyId: 'kafkaless',
  secretAccessKey: 'kafkaless',
});

export interface LocalStackState {
  readonly pid: number;
  /** ISO 8601. */
  readonly startedAt: string;
  readonly region: string;
  /** `kafka` is the Kafka gateway's host:port, `console` the web console's URL, when they are served. */
  readonly endpoints: { readonly dynamodb: string; readonly s3: string; readonly lambda: string; readonly kafka?: string; readonly console?: string };
  /** Local function name of each role the stack declares. */
  readonly functions: Readonly<Partial<Record<FunctionRole, string>>>;
  /** Local table name of each role the stack declares. */
  readonly tables: Readonly<Partial<Record<TableRole, string>>>;
  /** The log bucket, when the stack declares one. */
  readonly bucket?: string;
  /** The stack's subscriptions (docs/TRIGGERS.md), when it has any. */
  readonly subscriptions?: readonly LocalSubscription[];
  /** The stack's connectors (docs/CONNECT.md), when it has any. */
  readonly connectors?: readonly LocalConnector[];
}

export interface LocalConnector {
  readonly name: string;
  /** `S3Sink`, … */
  readonly connectorClass: string;
  readonly topics: readonly string[];
  readonly topicsRegex?: string;
  readonly tasksMax: number;
  /** The consumer group of a sink's offsets. */
  readonly groupId: string;
  /** The connector function's name (its local name in the state file). */
  readonly functionName: string;
}

/** A list of connectors, checked field by field (the state file's, or a deployed stack's Connectors output); undefined when it is not one. */
export function parseConnectorList(value: unknown): LocalConnector[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: LocalConnector[] = [];
  for (const c of value) {
    if (!isObject(c) || typeof c.name !== 'string' || typeof c.connectorClass !== 'string' || typeof c.groupId !== 'string' || typeof c.functionName !== 'string') return undefined;
    if (typeof c.tasksMax !== 'number' || !Array.isArray(c.topics) || !c.topics.every((t) => typeof t === 'string')) return undefined;
    if (c.topicsRegex !== undefined && typeof c.topicsRegex !== 'string') return undefined;
    out.push({
      name: c.name,
      connectorClass: c.connectorClass,
      topics: c.topics as string[],
      ...(typeof c.topicsRegex === 'string' ? { topicsRegex: c.topicsRegex } : {}),
      tasksMax: c.tasksMax,
      groupId: c.groupId,
      functionName: c.functionName,
    });
  }
  return out;
}

export interface LocalSubscription {
  readonly name: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  /** The subscribed function's local name. */
  readonly functionName: string;
}

function subscriptionsOf(value: unknown): LocalSubscription[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: LocalSubscription[] = [];
  for (const s of value) {
    if (!isObject(s) || typeof s.name !== 'string' || typeof s.groupId !== 'string' || typeof s.functionName !== 'string') return undefined;
    if (!Array.isArray(s.topics) || !s.topics.every((t) => typeof t === 'string')) return undefined;
    out.push({ name: s.name, groupId: s.groupId, topics: s.topics as string[], functionName: s.functionName });
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Names of the given roles, each a string; undefined when one is not a known role or not a string. */
function roleNames<R extends string>(value: unknown, roles: readonly R[]): Partial<Record<R, string>> | undefined {
  if (!isObject(value)) return undefined;
  const out: Partial<Record<R, string>> = {};
  for (const [role, name] of Object.entries(value)) {
    if (!(roles as readonly string[]).includes(role) || typeof name !== 'string') return undefined;
    out[role as R] = name;
  }
  return out;
}

/**
 * The state file's content, checked field by field (by hand rather than with
 * zod, which the client's bundle would otherwise carry for this file alone);
 * undefined when it is not a state file.
 */
export function parseLocalStackState(value: unknown): LocalStackState | undefined {
  if (!isObject(value)) return undefined;
  const { pid, startedAt, region, endpoints, functions, tables, bucket, subscriptions, connectors } = value;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
  if (typeof startedAt !== 'string' || typeof region !== 'string') return undefined;
  if (!isObject(endpoints) || typeof endpoints.dynamodb !== 'string' || typeof endpoints.s3 !== 'string' || typeof endpoints.lambda !== 'string') return undefined;
  if (endpoints.kafka !== undefined && typeof endpoints.kafka !== 'string') return undefined;
  if (endpoints.console !== undefined && typeof endpoints.console !== 'string') return undefined;
  const functionNames = roleNames(functions, KNOWN_ROLES);
  const tableNames = roleNames(tables, TABLE_ROLES);
  if (functionNames === undefined || tableNames === undefined) return undefined;
  if (bucket !== undefined && typeof bucket !== 'string') return undefined;
  const subs = subscriptions === undefined ? undefined : subscriptionsOf(subscriptions);
  if (subscriptions !== undefined && subs === undefined) return undefined;
  const conns = connectors === undefined ? undefined : parseConnectorList(connectors);
  if (connectors !== undefined && conns === undefined) return undefined;
  const state: LocalStackState = {
    ...(subs !== undefined ? { subscriptions: subs } : {}),
    ...(conns !== undefined ? { connectors: conns } : {}),
    pid,
    startedAt,
    region,
    endpoints: { dynamodb: endpoints.dynamodb, s3: endpoints.s3, lambda: endpoints.lambda, ...(endpoints.kafka !== undefined ? { kafka: endpoints.kafka } : {}), ...(endpoints.console !== undefined ? { console: endpoints.console } : {}) },
    functions: functionNames,
    tables: tableNames,
  };
  return bucket === undefined ? state : { ...state, bucket };
}

export function localStatePath(projectRoot: string): string {
  return join(projectRoot, LOCAL_DIR, 'local.json');
}

/** The state of the local stack running for `projectRoot`, or undefined when none runs (a stale or unreadable file is ignored). */
export function readLocalStackState(projectRoot: string): LocalStackState | undefined {
  let text: string;
  try {
    text = readFileSync(localStatePath(projectRoot), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const state = parseLocalStackState(parseJson(text));
  return state !== undefined && isProcessAlive(state.pid) ? state : undefined;
}

/**
 * The running local stack nearest to `from` (default: the working directory):
 * that directory and each parent in turn, then `alsoIn` (e.g. a package's own
 * root, where `npm start` keeps it).
 */
export function findLocalStackState(from: string = process.cwd(), alsoIn: readonly string[] = []): { root: string; state: LocalStackState } | undefined {
  for (const root of searchRoots(from, alsoIn)) {
    let state: LocalStackState | undefined;
    try {
      state = readLocalStackState(root);
    } catch {
      continue; // unreadable here (permissions, not a directory): look further
    }
    if (state !== undefined) return { root, state };
  }
  return undefined;
}

function searchRoots(from: string, alsoIn: readonly string[]): string[] {
  const roots: string[] = [];
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    roots.push(dir);
    if (dirname(dir) === dir) break;
  }
  for (const root of alsoIn.map((dir) => resolve(dir))) if (!roots.includes(root)) roots.push(root);
  return roots;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
