/**
 * The packages the local stack needs beyond the client's own dependencies:
 * the CDK (it synthesizes the stack), esbuild (it bundles the functions) and
 * the two local servers. They are optional peer dependencies of kafkaless,
 * so a project that only uses the client does not install them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { findProjectRoot } from '../infra/project-root.js';

export const LOCAL_PACKAGES = ['aws-cdk-lib', 'constructs', 'cdk-nag', 'esbuild', 's3rver', 'amplify-dynamodb-simulator'] as const;

function isInstalled(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** The version range kafkaless asks for, from its package.json's peerDependencies. */
function peerRanges(): Readonly<Record<string, string>> {
  const manifest = JSON.parse(readFileSync(join(findProjectRoot(import.meta.url), 'package.json'), 'utf8')) as {
    peerDependencies?: Record<string, string>;
  };
  return manifest.peerDependencies ?? {};
}

/** What to tell the user when packages the local stack needs are missing; undefined when all are there. */
export function missingLocalPackages(installed: (name: string) => boolean = isInstalled): string | undefined {
  const missing = LOCAL_PACKAGES.filter((name) => !installed(name));
  if (missing.length === 0) return undefined;
  const ranges = peerRanges();
  const specs = missing.map((name) => (ranges[name] === undefined ? name : `'${name}@${ranges[name]}'`));
  return `kafkaless local needs ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed. Install ${missing.length === 1 ? 'it' : 'them'} in your project: npm install --save-dev ${specs.join(' ')}`;
}
