/**
 * A throwaway project root for synthesis in tests: one trivial handler per
 * role in FUNCTION_ROLES, so the infra tests bundle in milliseconds and do
 * not depend on the real handlers. node_modules links to the repository's,
 * so local esbuild (run through npx from the project root) is found.
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FUNCTION_ROLES, handlerEntry } from '../../lib/names.js';

const REPO_NODE_MODULES = resolve(import.meta.dirname, '../../node_modules');

const HANDLER_SOURCE = 'export const handler = async (event: unknown) => ({ echo: event });\n';

export interface FixtureProject {
  readonly root: string;
  remove(): void;
}

export function createFixtureProject(): FixtureProject {
  const root = mkdtempSync(join(tmpdir(), 'kafkaless-infra-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'fixture', type: 'module', private: true }));
  writeFileSync(join(root, 'package-lock.json'), JSON.stringify({ name: 'fixture', lockfileVersion: 3, packages: {} }));
  symlinkSync(REPO_NODE_MODULES, join(root, 'node_modules'), 'dir');
  for (const role of FUNCTION_ROLES) {
    const entry = join(root, handlerEntry(role));
    mkdirSync(resolve(entry, '..'), { recursive: true });
    writeFileSync(entry, HANDLER_SOURCE);
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
