/**
 * A throwaway project root for synthesis in tests: one trivial handler per
 * role in FUNCTIONS (and a trivial gateway entry beside the real
 * gateway Dockerfile), so the infra tests bundle in milliseconds and do
 * not depend on the real handlers. node_modules links to the repository's,
 * so local esbuild (run through npx from the project root) is found.
 */
import { copyFileSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CONNECTOR_ENTRIES } from '../../lib/infra/connector-function.js';
import { FUNCTIONS, GATEWAY_DOCKERFILE, GATEWAY_ENTRY, handlerEntry } from '../../lib/names.js';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const REPO_NODE_MODULES = join(REPO_ROOT, 'node_modules');

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
  for (const path of [...(Object.keys(FUNCTIONS) as (keyof typeof FUNCTIONS)[]).map(handlerEntry), ...Object.values(CONNECTOR_ENTRIES)]) {
    const entry = join(root, path);
    mkdirSync(resolve(entry, '..'), { recursive: true });
    writeFileSync(entry, HANDLER_SOURCE);
  }
  // The gateway image: a trivial entry, and the repository's own Dockerfile.
  mkdirSync(join(root, 'containers'), { recursive: true });
  writeFileSync(join(root, GATEWAY_ENTRY), "console.log('gateway');\n");
  copyFileSync(join(REPO_ROOT, GATEWAY_DOCKERFILE), join(root, GATEWAY_DOCKERFILE));
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
