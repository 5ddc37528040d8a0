/**
 * The UI's files, served as they are: the console's own ES modules and
 * stylesheet (lib/console/ui/, beside this file) and the browser builds of
 * preact, htm and uPlot from their packages. No bundling step: the shell's
 * import map names the packages' modules.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

const UI_DIR = fileURLToPath(new URL('./ui/', import.meta.url));

/** /vendor/<name> → the file in its package. */
function vendorFiles(): Record<string, string> {
  const htmDir = dirname(require.resolve('htm'));
  const uplotDir = dirname(require.resolve('uplot'));
  return {
    'preact.mjs': require.resolve('preact'),
    'hooks.mjs': require.resolve('preact/hooks'),
    'htm.mjs': join(htmDir, 'htm.mjs'),
    'htm-preact.mjs': join(htmDir, '..', 'preact', 'index.mjs'),
    'uPlot.esm.js': join(uplotDir, 'uPlot.esm.js'),
    'uPlot.min.css': join(uplotDir, 'uPlot.min.css'),
  };
}

/** The import map the shell declares (bare specifiers the UI and the packages import). */
export const IMPORT_MAP = JSON.stringify({
  imports: { preact: '/vendor/preact.mjs', 'preact/hooks': '/vendor/hooks.mjs', htm: '/vendor/htm.mjs', 'htm/preact': '/vendor/htm-preact.mjs', uplot: '/vendor/uPlot.esm.js' },
});

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

function typeOf(name: string): string {
  return TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';
}

/** The asset at this URL path (/ui/… or /vendor/…), or undefined. Only plain file names: no directories, no `..`. */
export async function readAsset(pathname: string): Promise<Asset | undefined> {
  const [, area, name, ...rest] = pathname.split('/');
  if (name === undefined || rest.length > 0 || !/^[\w.-]+$/.test(name) || name.startsWith('.')) return undefined;
  const file = area === 'ui' ? join(UI_DIR, name) : area === 'vendor' ? vendorFiles()[name] : undefined;
  if (file === undefined || typeOf(name) === 'application/octet-stream') return undefined;
  try {
    return { body: await readFile(file), type: typeOf(name) };
  } catch {
    return undefined;
  }
}
