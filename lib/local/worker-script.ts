/**
 * The script a function's worker threads run. From compiled output it is the
 * sibling `lambda-worker.js`; from TypeScript sources (tsx, vitest) the
 * `.ts` file is transpiled once with esbuild and loaded as a data: URL, so
 * workers need no TypeScript loader of their own.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

let cached: URL | undefined;

export function lambdaWorkerUrl(): URL {
  cached ??= locate();
  return cached;
}

function locate(): URL {
  const compiled = new URL('./lambda-worker.js', import.meta.url);
  if (compiled.protocol === 'file:' && existsSync(fileURLToPath(compiled))) return compiled;
  const source = new URL('./lambda-worker.ts', import.meta.url);
  const { code } = transformSync(readFileSync(source, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile: fileURLToPath(source),
  });
  return new URL(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}
