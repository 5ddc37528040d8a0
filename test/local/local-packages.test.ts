/** What `kafkaless local` asks for when the packages it needs beyond the client's are missing. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCAL_PACKAGES, missingLocalPackages } from '../../lib/local/local-packages.js';

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
  dependencies: Record<string, string>;
};

describe('the local stack’s packages', () => {
  it('are optional peers of the package, installed for development, never plain dependencies', () => {
    for (const name of LOCAL_PACKAGES) {
      expect(manifest.peerDependencies[name], name).toBeDefined();
      expect(manifest.peerDependenciesMeta[name]?.optional, name).toBe(true);
      expect(manifest.devDependencies[name], name).toBeDefined();
      expect(manifest.dependencies[name], name).toBeUndefined();
    }
  });

  it('ask for nothing when all are there', () => {
    expect(missingLocalPackages(() => true)).toBeUndefined();
  });

  it('name the missing ones and the command that installs them, with the versions the package accepts', () => {
    const message = missingLocalPackages((name) => name !== 's3rver' && name !== 'esbuild');
    expect(message).toBe(
      'kafkaless local needs esbuild, s3rver, which are not installed. Install them in your project: ' +
        `npm install --save-dev 'esbuild@${manifest.peerDependencies['esbuild']}' 's3rver@${manifest.peerDependencies['s3rver']}'`,
    );
  });
});
