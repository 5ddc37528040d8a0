import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtHandlerEntry, findProjectRoot, lockFileAt, resolveHandlerEntry } from '../../lib/infra/project-root.js';
import { handlerEntry } from '../../lib/names.js';

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

describe('a handler entry', () => {
  function packageWith(entries: readonly string[]): string {
    const root = mkdtempSync(join(tmpdir(), 'kafkaless-entry-'));
    for (const entry of entries) {
      mkdirSync(dirname(join(root, entry)), { recursive: true });
      writeFileSync(join(root, entry), 'export const handler = async () => ({});\n');
    }
    return root;
  }

  it('is the TypeScript source in a checkout, even when a build is there too', () => {
    const root = packageWith([handlerEntry('produce'), builtHandlerEntry('produce')]);
    expect(resolveHandlerEntry(root, 'produce')).toBe(join(root, 'lambdas', 'produce.ts'));
    rmSync(root, { recursive: true, force: true });
  });

  it('is the built JavaScript in an installed package, which ships no sources', () => {
    const root = packageWith([builtHandlerEntry('fetch')]);
    expect(resolveHandlerEntry(root, 'fetch')).toBe(join(root, 'dist', 'lambdas', 'fetch.js'));
    rmSync(root, { recursive: true, force: true });
  });

  it('is an error naming both places when neither exists', () => {
    const root = packageWith([]);
    expect(() => resolveHandlerEntry(root, 'group')).toThrow(/lambdas\/group\.ts nor .*dist\/lambdas\/group\.js/);
    rmSync(root, { recursive: true, force: true });
  });
});

