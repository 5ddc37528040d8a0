/**
 * A Node 22 to run the installed package under: npm's node-<platform>-<arch>
 * package (the official binary), installed once under node_modules/.cache
 * and reused until the next `npm ci`.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NPM_INSTALL, REPO_ROOT, runOrThrow } from './packed.js';

export const NODE_22_VERSION = '22.23.5';

export async function node22(): Promise<string> {
  const dir = join(REPO_ROOT, 'node_modules', '.cache', `kafkaless-node-${NODE_22_VERSION}`);
  const name = `node-${process.platform}-${process.arch}`;
  const binary = join(dir, 'node_modules', name, 'bin', 'node');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'kafkaless-node-22', private: true }));
  await runOrThrow('npm', [...NPM_INSTALL, `${name}@${NODE_22_VERSION}`], { cwd: dir });
  return binary;
}
