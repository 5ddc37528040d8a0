/**
 * Every code example in README.md and docs/*.md is a file of
 * examples/snippets, embedded verbatim after its marker line, and runs as
 * written against one real local stack (what `npm start` runs), from a folder
 * holding its `.kafkaless/local.json`, printing what it promises.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../lib/local/free-port.js';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.js';
import { docFiles, firstDifference, parseDoc, type DocBlock } from './doc-blocks.js';
import { layOutSnippetProject, snippetEnv } from './snippet-project.js';

const PROJECT = resolve('.');
const SNIPPETS_DIR = 'examples/snippets';
const CODE_LANGS = new Set(['ts', 'typescript', 'tsx', 'js', 'javascript', 'jsx', 'mjs', 'cjs']);
/** A snippet gets this long before it is killed: a bound on a hang, not a figure to meet. */
const SNIPPET_KILL_MS = 300_000;

/** What each snippet promises to print (its stdout, then its stderr), beyond exiting 0. */
const PROMISES: Readonly<Record<string, readonly RegExp[]>> = {
  'examples/snippets/quick-start.sh': [/^Produced 10000 records to orders/m, /^orders\s+2\s+\d+\s+\d+$/m, /^Processed a total of \d+ messages$/m],
  'examples/snippets/client.ts': [/^sent: partition (\d+), offset (\d+)\nreceived: orders\/\1 offset \2 customer-42 \{"total":10\}$/m],
  'examples/snippets/group-consumer.ts': [/^assigned: 0, 1, 2$/m, /^billed p-1: /m, /^billed p-2: /m, /^billed p-3: /m],
  'examples/snippets/transaction.ts': [/^committed: invoices\/\d+ offset \d+$/m, /^committed: ledger\/\d+ offset \d+$/m],
  'examples/snippets/exactly-once.ts': [/^enriched \d+ checkouts, exactly once$/m],
  'examples/snippets/order-producer-local.sh': [/^\{ partition: \d+, offset: \d+ \}$/m],
  'examples/snippets/cdk-stack.ts': [/^synthesized Orders: \d+ resources$/m],
  'examples/snippets/cdk-gateway.ts': [/^synthesized Kafka: 1 gateway service, bootstrap.servers from the load balancer$/m],
  'examples/snippets/local-invoke.sh': [/^orders$/m, /^\{"ok":true,"result":\{"topics":\[[^\]]*"orders"/m],
};

/** Modules that are not programs, and the snippet that runs each. */
const RUN_BY: Readonly<Record<string, string>> = {
  'examples/snippets/order-producer.ts': 'examples/snippets/order-producer-local.sh',
};

const blocks: DocBlock[] = docFiles(PROJECT).flatMap((doc) => parseDoc(PROJECT, doc).blocks);
const embedded = blocks.filter((b): b is DocBlock & { marker: { kind: 'snippet'; path: string } } => b.marker?.kind === 'snippet');
const runnable = [...new Set(embedded.map((b) => b.marker.path))].filter(
  (path) => path.startsWith(`${SNIPPETS_DIR}/`) && /\.(ts|sh)$/.test(path) && RUN_BY[path] === undefined,
);
const where = (b: DocBlock): string => `${b.doc}:${b.line}`;

describe('the docs embed their snippets', () => {
  it('embeds each snippet file verbatim right after its marker', () => {
    const problems: string[] = [];
    for (const block of embedded) {
      const file = join(PROJECT, block.marker.path);
      if (!existsSync(file)) {
        problems.push(`${where(block)}: the marker names ${block.marker.path}, which does not exist`);
        continue;
      }
      const expected = readFileSync(file, 'utf8');
      if (block.content !== expected) {
        problems.push(`${where(block)}: the block differs from ${block.marker.path} at ${firstDifference(expected, block.content)}\n  (copy the file's content into the block, or the block into the file)`);
      }
    }
    expect(problems.join('\n\n')).toBe('');
  });

  it('has no marker that is not right before a fenced block', () => {
    const strays = docFiles(PROJECT).flatMap((doc) => parseDoc(PROJECT, doc).strays);
    expect(strays.map((s) => `${s.doc}:${s.line}: ${s.text} must be the line right before an opening fence`)).toEqual([]);
  });

  it('has no TypeScript or JavaScript block without a snippet marker, but for fragments marked as such', () => {
    const unmarked = blocks.filter((b) => CODE_LANGS.has(b.lang) && b.marker === undefined);
    expect(unmarked.map((b) => `${where(b)}: a \`\`\`${b.lang} block with no <!-- snippet: ${SNIPPETS_DIR}/<name>.ts --> (or <!-- fragment -->) line before it`)).toEqual([]);
  });

  it('embeds every file of examples/snippets in some doc', () => {
    const used = new Set(embedded.map((b) => b.marker.path));
    const files = readdirSync(join(PROJECT, SNIPPETS_DIR)).map((name) => `${SNIPPETS_DIR}/${name}`);
    expect(files.filter((f) => !used.has(f))).toEqual([]);
  });

  it('promises output only for snippets that run', () => {
    expect(Object.keys(PROMISES).filter((path) => !runnable.includes(path))).toEqual([]);
  });

  it('runs each module that is not a program through an embedded snippet that names it', () => {
    for (const [module, runner] of Object.entries(RUN_BY)) {
      expect(embedded.some((b) => b.marker.path === module), `${module} is embedded`).toBe(true);
      expect(runnable).toContain(runner);
      expect(readFileSync(join(PROJECT, runner), 'utf8')).toContain(module);
    }
  });
});

describe('the snippets run against the local stack', () => {
  let root: string;
  let stack: LocalStack | undefined;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'kafkaless-snippets-'));
    layOutSnippetProject(root, PROJECT);
    stack = await startLocalStack({
      projectRoot: root,
      mode: 'persistent',
      lambdaPort: await findFreePort(),
      dynamodbPort: await findFreePort(),
      s3Port: await findFreePort(),
    });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  for (const path of runnable) {
    it(`${path} exits 0 and prints what it promises`, async () => {
      const { code, output } = await runSnippet(root, path);
      expect(code, `${path} failed:\n${output}`).toBe(0);
      for (const promise of PROMISES[path] ?? []) expect(output, `${path} printed:\n${output}`).toMatch(promise);
    }, SNIPPET_KILL_MS + 10_000);
  }
});

/** Runs a snippet in its own process group, so a hung one is killed with everything it started. */
async function runSnippet(root: string, path: string): Promise<{ code: number | string; output: string }> {
  const [command, args] = path.endsWith('.sh') ? ['bash', ['-eo', 'pipefail', path]] : [process.execPath, ['--import', 'tsx', path]];
  const child = spawn(command, args, { cwd: root, env: snippetEnv(root), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const kill = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), SNIPPET_KILL_MS);
  const code = await new Promise<number | string>((done) => {
    child.on('error', (error) => done(error.message));
    child.on('close', (exitCode, signal) => done(exitCode ?? `killed by ${signal} after ${SNIPPET_KILL_MS} ms`));
  });
  clearTimeout(kill);
  const err = Buffer.concat(stderr).toString();
  return { code, output: `${Buffer.concat(stdout).toString()}${err === '' ? '' : `\n${err}`}` };
}
