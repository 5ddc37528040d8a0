/**
 * Synthesizes the project's CDK app in-process, for the local stack: the
 * stack's template and the cloud assembly folder its bundles are in.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A synthesized stack: enough to serve it locally. */
export interface LocalAssembly {
  readonly stackName: string;
  /** The CloudFormation template, as JSON. */
  readonly template: unknown;
  /** The cloud assembly folder; asset paths are relative to it. */
  readonly assemblyDir: string;
}

export async function synthesizeStack(outdir: string): Promise<LocalAssembly> {
  const { buildApp } = await import('../infra/app.js');
  const { app, stack } = buildApp({ outdir, nag: false });
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stack.stackName);
  markBundlesCommonJsScope(assembly.directory);
  return { stackName: stack.stackName, template: artifact.template as unknown, assemblyDir: assembly.directory };
}

/**
 * Lambda loads a bundle's `.js` files as CommonJS unless the bundle says
 * otherwise; a `package.json` at the assembly root keeps the project's own
 * `"type": "module"` from applying to them. `.mjs` bundles are unaffected.
 */
export function markBundlesCommonJsScope(assemblyDir: string): void {
  const path = join(assemblyDir, 'package.json');
  if (!existsSync(path)) writeFileSync(path, '{ "type": "commonjs" }\n');
}
