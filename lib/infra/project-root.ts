/**
 * Where the kafkaless package lives on disk, so handler entries
 * (`handlerEntry(role)`, relative to the package root) resolve the same
 * whatever the current directory of the process that synthesizes.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
