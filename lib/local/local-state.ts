/**
 * Writing the state file of a running persistent local stack,
 * `<projectRoot>/.kafkaless/local.json`: how the CLI and the client find its
 * endpoints, and how a second start finds that one is already running.
 * Reading it lives in lib/config/local-stack-state.ts, free of the servers.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { localStatePath, parseJson, parseLocalStackState, type LocalStackState } from '../config/local-stack-state.js';

export { isProcessAlive, localStatePath, readLocalStackState, type LocalStackState } from '../config/local-stack-state.js';

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
    const current = parseLocalStackState(parseJson(readFileSync(path, 'utf8')));
    if (current !== undefined && current.pid !== pid) return;
  } catch {
    return;
  }
  rmSync(path, { force: true });
}
