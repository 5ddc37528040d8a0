/**
 * A folder laid out like a user's project beside the running local stack:
 * `.kafkaless/local.json` (the stack's state file), `examples/` (this
 * repository's), a lock file, and `node_modules/` holding kafkaless, tsx and
 * esbuild with their commands in `node_modules/.bin`, so `npx kafkaless`,
 * `npx tsx` and a CDK app's bundling work there offline, and snippets run in
 * it as they would from the repository.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const NAME = 'kafkaless-snippets';

export function layOutSnippetProject(root: string, projectRoot: string): void {
  const resolvePackage = (name: string): string => dirname(createRequire(join(projectRoot, 'package.json')).resolve(`${name}/package.json`));
  const bin = join(root, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(root, 'package.json'), `${JSON.stringify({ name: NAME, private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(join(root, 'package-lock.json'), `${JSON.stringify({ name: NAME, lockfileVersion: 3, requires: true, packages: { '': { name: NAME } } }, null, 2)}\n`);
  symlinkSync(resolve(projectRoot), join(root, 'node_modules', 'kafkaless'));
  symlinkSync(resolvePackage('tsx'), join(root, 'node_modules', 'tsx'));
  symlinkSync(resolvePackage('esbuild'), join(root, 'node_modules', 'esbuild'));
  symlinkSync(join('..', 'kafkaless', 'bin', 'kafkaless.js'), join(bin, 'kafkaless'));
  symlinkSync(join('..', 'tsx', 'dist', 'cli.mjs'), join(bin, 'tsx'));
  symlinkSync(join('..', 'esbuild', 'bin', 'esbuild'), join(bin, 'esbuild'));
  symlinkSync(join(resolve(projectRoot), 'examples'), join(root, 'examples'));
}

/** The environment of a fresh shell in that folder: no AWS or kafkaless variables of ours, npm offline. */
export function snippetEnv(root: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(AWS_|KAFKALESS_|VITEST|NODE_OPTIONS$)/.test(name)) env[name] = value;
  }
  return {
    ...env,
    PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
    // Never reach a registry: a command not found locally fails instead of being downloaded.
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    NODE_NO_WARNINGS: '1',
    // `import 'kafkaless'` resolves to this checkout's sources (the package's `source` condition), never to a build that may be stale.
    NODE_OPTIONS: '--conditions=source',
    // A CDK app's cloud assembly stays in the folder (removed with it).
    CDK_OUTDIR: join(root, 'cdk.out'),
  };
}
