/**
 * The state file of a running persistent local stack,
 * `<projectRoot>/.kafkaless/local.json`: how the CLI finds its endpoints, and
 * how a second start finds that one is already running.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { TABLE_ROLES, type FunctionRole, type TableRole } from '../names.js';
import { KNOWN_FUNCTION_ROLES } from './local-names.js';
import { LOCAL_DIR } from './services.js';

export interface LocalStackState {
  readonly pid: number;
  /** ISO 8601. */
  readonly startedAt: string;
  readonly region: string;
  readonly endpoints: { readonly dynamodb: string; readonly s3: string; readonly lambda: string };
  /** Local function name of each role the stack declares. */
  readonly functions: Readonly<Partial<Record<FunctionRole, string>>>;
  /** Local table name of each role the stack declares. */
  readonly tables: Readonly<Partial<Record<TableRole, string>>>;
  /** The log bucket, when the stack declares one. */
  readonly bucket?: string;
}

const stateSchema = z.object({
  pid: z.number().int().positive(),
  startedAt: z.string(),
  region: z.string(),
  endpoints: z.object({ dynamodb: z.string(), s3: z.string(), lambda: z.string() }),
  functions: z.partialRecord(z.enum(KNOWN_FUNCTION_ROLES), z.string()),
  tables: z.partialRecord(z.enum(TABLE_ROLES), z.string()),
  bucket: z.string().optional(),
});

export function localStatePath(projectRoot: string): string {
  return join(projectRoot, LOCAL_DIR, 'local.json');
}

/** The state of the local stack running for `projectRoot`, or undefined when none runs (a stale file is ignored). */
export function readLocalStackState(projectRoot: string): LocalStackState | undefined {
  let text: string;
  try {
    text = readFileSync(localStatePath(projectRoot), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = stateSchema.safeParse(safeJson(text));
  if (!parsed.success || !isProcessAlive(parsed.data.pid)) return undefined;
  const { bucket, ...rest } = parsed.data;
  return bucket === undefined ? rest : { ...rest, bucket };
}

export function writeLocalStackState(projectRoot: string, state: LocalStackState): void {
  const path = localStatePath(projectRoot);
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, path);
}

/** Removes the state file if it is this process's. */
export function removeLocalStackState(projectRoot: string, pid: number = process.pid): void {
  const path = localStatePath(projectRoot);
  try {
    const current = stateSchema.safeParse(safeJson(readFileSync(path, 'utf8')));
    if (current.success && current.data.pid !== pid) return;
  } catch {
    return;
  }
  rmSync(path, { force: true });
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
