/**
 * Where a Lambda Handler property (`index.handler`, `src/app.main`) points
 * in a bundle folder: the module file, tried with the extensions Lambda's
 * Node.js runtime tries, and the export path.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const MODULE_EXTENSIONS = ['.js', '.mjs', '.cjs'] as const;

export interface HandlerPath {
  readonly file: string;
  readonly exportPath: readonly string[];
}

export function resolveHandler(codeDir: string, handler: string): HandlerPath {
  const slash = handler.lastIndexOf('/');
  const dir = handler.slice(0, slash + 1);
  const [moduleName, ...exportPath] = handler.slice(slash + 1).split('.');
  if (moduleName === undefined || moduleName === '' || exportPath.length === 0 || exportPath.includes('')) {
    throw new Error(`Handler '${handler}' is not of the form 'file.export'.`);
  }
  const base = join(codeDir, dir, moduleName);
  const file = MODULE_EXTENSIONS.map((ext) => base + ext).find((candidate) => existsSync(candidate));
  if (file === undefined) {
    throw new Error(`Handler '${handler}': no ${MODULE_EXTENSIONS.map((ext) => moduleName + ext).join(', ')} in ${join(codeDir, dir)}.`);
  }
  return { file, exportPath };
}
