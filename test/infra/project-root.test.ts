import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findProjectRoot, lockFileAt } from '../../lib/infra/project-root.js';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

describe('the project root', () => {
  it('is the package root when found from the infra module itself', () => {
    expect(findProjectRoot()).toBe(REPO_ROOT);
  });

  it('is found from a file several folders down', () => {
    const deep = pathToFileURL(join(REPO_ROOT, 'lib', 'infra', 'kafkaless.ts')).href;
    expect(findProjectRoot(deep)).toBe(REPO_ROOT);
  });

  it('holds the lock file the bundler uses', () => {
    expect(lockFileAt(REPO_ROOT)).toBe(join(REPO_ROOT, 'package-lock.json'));
    expect(existsSync(join(REPO_ROOT, 'package-lock.json'))).toBe(true);
  });

  it('has no lock file to offer in a folder without one', () => {
    expect(lockFileAt(join(REPO_ROOT, 'lib'))).toBeUndefined();
  });
});
