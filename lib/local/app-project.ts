/**
 * Which CDK app `kafkaless local` runs: the project it is started in (the
 * nearest folder holding a package.json, from the current directory up)
 * when that project has a cdk.json and is not kafkaless itself — your app,
 * with its subscriptions and functions — else kafkaless's own stack.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface AppProject {
  /** The app's project folder: where its cdk.json is, and where `.kafkaless/` goes. */
  readonly root: string;
  /** cdk.json's `app`: the command that synthesizes it. */
  readonly command: string;
  /** cdk.json's `context`, given to the app as the CDK CLI gives it. */
  readonly context: Readonly<Record<string, unknown>>;
}

/** The nearest folder holding a package.json, from `from` up; undefined when there is none. */
export function nearestPackageRoot(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The app project to run from `cwd`; undefined to run kafkaless's own stack (kafkalessRoot, or no cdk.json). */
export function appProjectAt(cwd: string, kafkalessRoot: string): AppProject | undefined {
  const root = nearestPackageRoot(cwd);
  if (root === undefined || realpathSync(root) === realpathSync(kafkalessRoot)) return undefined;
  const cdkJson = join(root, 'cdk.json');
  if (!existsSync(cdkJson)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(cdkJson, 'utf8'));
  } catch (err) {
    throw new Error(`${cdkJson} is not JSON: ${(err as Error).message}`);
  }
  const { app, context } = (parsed ?? {}) as { app?: unknown; context?: unknown };
  if (typeof app !== 'string' || app.trim() === '') throw new Error(`${cdkJson} has no "app" command: kafkaless local runs it to synthesize the app`);
  const cdkContext = join(root, 'cdk.context.json');
  const cached = existsSync(cdkContext) ? (JSON.parse(readFileSync(cdkContext, 'utf8')) as Record<string, unknown>) : {};
  return { root, command: app, context: { ...cached, ...(typeof context === 'object' && context !== null ? (context as Record<string, unknown>) : {}) } };
}
