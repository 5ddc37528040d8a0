/**
 * How the client finds its target: the local stack's state file (nearest
 * live one from a folder upwards), the environment, or a clear error.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Kafkaless } from '../../lib/client/kafkaless.js';
import { functionsFromEnv } from '../../lib/client/client-env.js';
import { localTarget } from '../../lib/client/local-target.js';
import { findLocalStackState, LOCAL_CREDENTIALS, parseLocalStackState, type LocalStackState } from '../../lib/config/local-stack-state.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'kafkaless-target-'));
  roots.push(root);
  return root;
}

function writeState(root: string, pid: number, lambda: string): void {
  const state: LocalStackState = {
    pid,
    startedAt: new Date().toISOString(),
    region: 'us-east-1',
    endpoints: { dynamodb: 'http://127.0.0.1:1', s3: 'http://127.0.0.1:2', lambda },
    functions: { admin: 'Kafkaless-admin', produce: 'Kafkaless-produce', fetch: 'Kafkaless-fetch', group: 'Kafkaless-group' },
    tables: {},
  };
  mkdirSync(join(root, '.kafkaless'), { recursive: true });
  writeFileSync(join(root, '.kafkaless', 'local.json'), JSON.stringify(state));
}

/** A pid no process has: past the largest Linux allows. */
const DEAD_PID = 4_194_304 + 1;

describe('finding the local stack', () => {
  it('takes the nearest live state file from a folder upwards', () => {
    const root = tempRoot();
    const nested = join(root, 'a', 'b');
    mkdirSync(nested, { recursive: true });
    writeState(root, process.pid, 'http://127.0.0.1:9001');
    writeState(join(root, 'a'), process.pid, 'http://127.0.0.1:9002');
    expect(findLocalStackState(nested)).toMatchObject({ root: join(root, 'a'), state: { endpoints: { lambda: 'http://127.0.0.1:9002' } } });
  });

  it("ignores a stopped stack's state file and looks further", () => {
    const root = tempRoot();
    const project = join(root, 'project');
    writeState(project, DEAD_PID, 'http://127.0.0.1:9003');
    writeState(root, process.pid, 'http://127.0.0.1:9004');
    expect(findLocalStackState(project)?.state.endpoints.lambda).toBe('http://127.0.0.1:9004');
  });

  it('looks in the extra folders last', () => {
    const here = tempRoot();
    const packageRoot = tempRoot();
    writeState(packageRoot, process.pid, 'http://127.0.0.1:9005');
    expect(findLocalStackState(here, [packageRoot])?.root).toBe(packageRoot);
  });

  it("gives the Lambda transport the stack's endpoint, region, functions and dummy credentials", () => {
    const root = tempRoot();
    writeState(root, process.pid, 'http://127.0.0.1:9006');
    expect(localTarget({ from: root })).toEqual({
      functions: { admin: 'Kafkaless-admin', produce: 'Kafkaless-produce', fetch: 'Kafkaless-fetch', group: 'Kafkaless-group' },
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9006',
      credentials: { ...LOCAL_CREDENTIALS },
      maxAttempts: 1,
    });
  });

  it('says how to start one when none runs', () => {
    const root = tempRoot();
    writeState(root, DEAD_PID, 'http://127.0.0.1:9007');
    expect(() => new Kafkaless({ local: { from: root } })).toThrow(/No local stack is running.*npm start/);
  });
});

describe('reading a state file', () => {
  const good = { pid: 42, startedAt: '2026-01-01T00:00:00Z', region: 'us-east-1', endpoints: { dynamodb: 'd', s3: 's', lambda: 'l' }, functions: { admin: 'a' }, tables: { topics: 't' } };

  it('keeps the fields it knows, and the bucket when there is one', () => {
    expect(parseLocalStackState({ ...good, extra: 1 })).toEqual(good);
    expect(parseLocalStackState({ ...good, bucket: 'b' })).toEqual({ ...good, bucket: 'b' });
  });

  it('knows the trigger function of a stack with subscriptions', () => {
    const withTrigger = { ...good, functions: { admin: 'a', trigger: 'Kafkaless-trigger' } };
    expect(parseLocalStackState(withTrigger)).toEqual(withTrigger);
  });

  it('takes a file with a wrong field, an unknown role or no object for none', () => {
    for (const bad of [
      undefined,
      [],
      { ...good, pid: 1.5 },
      { ...good, pid: 0 },
      { ...good, region: 1 },
      { ...good, endpoints: { dynamodb: 'd', s3: 's' } },
      { ...good, functions: { nope: 'x' } },
      { ...good, tables: { topics: 1 } },
      { ...good, bucket: 2 },
    ]) {
      expect(parseLocalStackState(bad)).toBeUndefined();
    }
  });
});

describe('the client options', () => {
  it('refuses local together with another target', () => {
    expect(() => new Kafkaless({ local: true, functions: { produce: 'p' } })).toThrow('Kafkaless takes local or functions, not both');
  });

  it('reads function names from KAFKALESS_<ROLE>_FUNCTION', () => {
    expect(functionsFromEnv({ KAFKALESS_PRODUCE_FUNCTION: 'my-produce', KAFKALESS_GROUP_FUNCTION: 'my-group', KAFKALESS_FETCH_FUNCTION: '' })).toEqual({
      produce: 'my-produce',
      group: 'my-group',
    });
  });

  it('names every way to point it somewhere when given none', () => {
    const named = Object.keys(process.env).filter((name) => name.startsWith('KAFKALESS_'));
    expect(named.filter((name) => name.endsWith('_FUNCTION') || name === 'KAFKALESS_STACK_NAME')).toEqual([]);
    expect(() => new Kafkaless()).toThrow(/local: true.*functions.*stackName.*KAFKALESS_PRODUCE_FUNCTION.*KAFKALESS_STACK_NAME/);
  });
});
