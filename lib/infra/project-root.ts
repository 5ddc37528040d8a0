/**
 * Where the kafkaless package lives on disk, so handler entries
 * (`handlerEntry(role)`, relative to the package root) resolve the same
 * whatever the current directory of the process that synthesizes: the
 * TypeScript sources in a checkout, the built JavaScript (under `dist/`)
 * in an installed package, which ships no sources.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handlerEntry } from '../names.js';
import type { FunctionRole } from '../names.js';

/** Where the build writes the JavaScript of `bin/`, `lib/` and `lambdas/` (tsconfig.build.json). */
export const BUILD_DIR = 'dist';

/** How many folders up the search goes before giving up. */
const MAX_LEVELS_UP = 8;

/** The nearest folder holding a package.json, from `fromUrl`'s folder upwards. */
export function findProjectRoot(fromUrl: string = import.meta.url): string {
  const start = dirname(fileURLToPath(fromUrl));
  let dir = start;
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`No package.json found in ${start} or the ${MAX_LEVELS_UP} folders above it`);
}

/** The npm lock file at `root`, when there is one (a published package has none). */
export function lockFileAt(root: string): string | undefined {
  const path = join(root, 'package-lock.json');
  return existsSync(path) ? path : undefined;
}

/** The built JavaScript of an entry file (a path relative to the package root), relative to the package root. */
export function builtEntry(entry: string): string {
  return join(BUILD_DIR, entry.replace(/\.ts$/, '.js'));
}

/** The built JavaScript of a handler entry, relative to the package root. */
export function builtHandlerEntry(role: FunctionRole): string {
  return builtEntry(handlerEntry(role));
}

/** The file esbuild bundles for `entry`: its TypeScript source under `root` when there, else its built JavaScript. */
export function resolveEntry(root: string, entry: string, what: string): string {
  const candidates = [entry, builtEntry(entry)].map((path) => join(root, path));
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) throw new Error(`No entry for ${what}: neither ${candidates.join(' nor ')} exists`);
  return found;
}

/** The file esbuild bundles for `role`. */
export function resolveHandlerEntry(root: string, role: FunctionRole): string {
  return resolveEntry(root, handlerEntry(role), `the ${role} function`);
}
