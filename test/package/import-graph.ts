/**
 * What a module pulls in, read from esbuild's metafile: every input file of
 * a bundle, and the part reached by static imports alone (what evaluating
 * the module evaluates before any dynamic `import()`).
 */
import { build } from 'esbuild';

export interface ImportGraph {
  /** Every file in the bundle, relative to the repository root. */
  readonly all: readonly string[];
  /** The files reached from the entry through static imports only. */
  readonly static: readonly string[];
  /** The npm packages reached through static imports only, bundled or left external. */
  readonly staticPackages: readonly string[];
}

/** `packages: 'external'` leaves every npm package out of the bundle (faster), still naming those imported. */
export async function importGraph(entry: string, options: { packages?: 'external' } = {}): Promise<ImportGraph> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    outdir: 'out',
    logLevel: 'silent',
    ...(options.packages === undefined ? {} : { packages: options.packages }),
  });
  const inputs = result.metafile.inputs;
  const reached = new Set<string>();
  const externals = new Set<string>();
  const pending = Object.keys(inputs).filter((file) => inputs[file] !== undefined && file.endsWith(entry.replace(/^\.\//, '')));
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (reached.has(file)) continue;
    reached.add(file);
    for (const imported of inputs[file]?.imports ?? []) {
      if (imported.kind !== 'import-statement') continue;
      if (imported.external === true) externals.add(imported.path);
      else if (inputs[imported.path] !== undefined) pending.push(imported.path);
    }
  }
  const externalPackages = [...externals].filter((path) => !path.startsWith('node:')).map(packageName);
  const staticPackages = [...new Set([...packagesOf([...reached]), ...externalPackages])].sort();
  return { all: Object.keys(inputs), static: [...reached], staticPackages };
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The npm packages among `files` (`node_modules/<name>/…`, scoped names whole). */
export function packagesOf(files: readonly string[]): string[] {
  const names = files.flatMap((file) => {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
    return match === null ? [] : [match[1]!];
  });
  return [...new Set(names)].sort();
}
