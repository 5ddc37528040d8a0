/**
 * The package as users install it: plain Node (20, and 22) imports its
 * entries with no TypeScript loader, `npx kafkaless` runs, its declarations
 * type-check a user's code, and a user's own CDK app (examples/cdk-app)
 * synthesizes with the construct, its grants and cdk-nag's checks.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBCOMMANDS } from '../../bin/cli/subcommands.js';
import { LOCAL_PACKAGES } from '../../lib/local/local-packages.js';
import { FUNCTION_ROLES, functionConstructId } from '../../lib/names.js';
import { node22 } from './node22.js';
import { INSTALLED_PEERS, REPO_ROOT, packAndInstall, run } from './packed.js';
import type { PackedInstall, Run } from './packed.js';

const IMPORT_EVERY_ENTRY = `
import { Kafkaless } from 'kafkaless';
import { embeddedTransport } from 'kafkaless/embedded';
import { Kafkaless as KafkalessConstruct } from 'kafkaless/infra';
const producer = new Kafkaless({ functions: { produce: 'orders-produce' } }).producer();
console.log(JSON.stringify({ client: typeof Kafkaless, send: typeof producer.send, embedded: typeof embeddedTransport, construct: typeof KafkalessConstruct, node: process.version }));
`;

/**
 * What `cdk synth` passes the app: asset metadata on, so each function names its bundle's folder.
 * (CDK_VALIDATION is unset for it: the user's synth runs CDK's own template validation, off for the other tests' synths.)
 */
const ASSET_METADATA = JSON.stringify({ 'aws:cdk:enable-asset-metadata': true });

const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let installed: PackedInstall;
let node22Binary: Promise<string>;
let compiled: Run;

beforeAll(async () => {
  node22Binary = node22();
  node22Binary.catch(() => undefined); // its own test reports a failure
  installed = await packAndInstall();
  // skipLibCheck off: the installed .d.ts files are checked too, not only used.
  compiled = await run(process.execPath, [TSC, '-p', 'tsconfig.json', '--skipLibCheck', 'false'], { cwd: join(installed.app, 'example') });
}, 900_000);

afterAll(() => installed?.remove());

function importEveryEntry(node: string): Promise<Run> {
  return run(node, ['--input-type=module', '-e', IMPORT_EVERY_ENTRY], { cwd: installed.app });
}

describe('the tarball', () => {
  it('holds the built JavaScript, its declarations and every handler entry, and no TypeScript sources', () => {
    expect(installed.files).toContain('bin/kafkaless.js');
    expect(installed.files).toContain('dist/lib/client/index.js');
    expect(installed.files).toContain('dist/lib/client/index.d.ts');
    expect(installed.files).toContain('dist/lib/infra/index.d.ts');
    for (const role of FUNCTION_ROLES) expect(installed.files).toContain(`dist/lambdas/${role}.js`);
    // What a `gateway` prop synthesizes from: the built entry and the Dockerfile.
    expect(installed.files).toContain('dist/containers/gateway.js');
    expect(installed.files).toContain('containers/gateway.Dockerfile');
    expect(installed.files.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))).toEqual([]);
    expect(installed.files.filter((path) => /^(test|bench|examples)\//.test(path))).toEqual([]);
  });

  it('installs neither the local stack servers nor a TypeScript runtime', () => {
    for (const name of ['s3rver', 'amplify-dynamodb-simulator', 'tsx', 'typescript']) {
      expect(existsSync(join(installed.app, 'node_modules', name)), name).toBe(false);
    }
  });
});

describe('plain Node', () => {
  it('imports the client, the embedded transport and the construct under Node 20', async () => {
    const result = await importEveryEntry(process.execPath);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ client: 'function', send: 'function', embedded: 'function', construct: 'function', node: process.version });
  });

  it('imports them under Node 22', async () => {
    const result = await importEveryEntry(await node22Binary);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ client: 'function', send: 'function', embedded: 'function', construct: 'function' });
    expect((JSON.parse(result.stdout) as { node: string }).node).toMatch(/^v22\./);
  }, 600_000);
});

describe('npx kafkaless', () => {
  it('prints its help with every subcommand', async () => {
    const result = await run('npx', ['--no-install', 'kafkaless', '--help'], { cwd: installed.app });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: kafkaless');
    for (const subcommand of SUBCOMMANDS) expect(result.stdout).toContain(subcommand.usage);
  });

  it('says exactly what to install before it runs the local stack', async () => {
    const result = await run('npx', ['--no-install', 'kafkaless', 'local'], { cwd: installed.app });
    expect(result.code).toBe(2);
    const missing = LOCAL_PACKAGES.filter((name) => !(INSTALLED_PEERS as readonly string[]).includes(name));
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
    const specs = missing.map((name) => `'${name}@${manifest.peerDependencies[name]}'`).join(' ');
    expect(result.stderr).toContain(`npm install --save-dev ${specs}`);
  });
});

describe('a user project', () => {
  it('type-checks against the installed declarations', () => {
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.code).toBe(0);
  });

  describe('the example CDK app', () => {
    let synth: Run;
    let outdir: string;
    let resources: Record<string, { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, string> }>;

    beforeAll(async () => {
      outdir = join(installed.dir, 'cdk.out');
      synth = await run(process.execPath, ['build/bin/app.js'], { cwd: join(installed.app, 'example'), env: { CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: ASSET_METADATA, CDK_VALIDATION: undefined } });
      if (synth.code === 0) resources = (JSON.parse(readFileSync(join(outdir, 'Orders.template.json'), 'utf8')) as { Resources: typeof resources }).Resources;
    }, 600_000);

    const logicalId = (prefix: string): string => {
      const ids = Object.keys(resources).filter((id) => id.startsWith(prefix) && resources[id]!.Type === 'AWS::Lambda::Function');
      expect(ids).toHaveLength(1);
      return ids[0]!;
    };

    const invokedBy = (prefix: string): unknown[] => {
      const [policy] = Object.entries(resources).filter(([id, r]) => id.startsWith(`${prefix}Role`) && r.Type === 'AWS::IAM::Policy');
      const statements = (policy![1].Properties['PolicyDocument'] as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement;
      return statements.filter((s) => s.Action === 'lambda:InvokeFunction').flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
    };

    it('synthesizes with cdk-nag and no finding left', () => {
      expect(synth.stderr).not.toContain('AwsSolutions-');
      expect(synth.code).toBe(0);
      const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: unknown[] };
      expect(report.pluginReports).toEqual([]);
    });

    it("has kafkaless's functions, each bundled from the package with zstd.wasm beside it, and the app's two", () => {
      for (const role of FUNCTION_ROLES) {
        const asset = resources[logicalId(`Kafkaless${functionConstructId(role)}`)]!.Metadata!['aws:asset:path']!;
        expect(readdirSync(join(outdir, asset)).sort()).toEqual(['index.mjs', 'index.mjs.map', 'zstd.wasm']);
      }
      logicalId('OrderProducer');
      logicalId('OrderConsumer');
      logicalId('OrderEnricher');
    });

    it("subscribes the enricher: the trigger function, bundled from the package, may invoke it, and nothing else may", () => {
      const trigger = logicalId(`Kafkaless${functionConstructId('trigger')}`);
      expect(readdirSync(join(outdir, resources[trigger]!.Metadata!['aws:asset:path']!)).sort()).toEqual(['index.mjs', 'index.mjs.map', 'zstd.wasm']);
      expect(invokedBy(`Kafkaless${functionConstructId('trigger')}`)).toEqual([{ 'Fn::GetAtt': [logicalId('OrderEnricher'), 'Arn'] }]);
      expect(Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping')).toHaveLength(1);
    });

    it('lets the producer invoke the produce function, and the consumer the fetch and group functions, and the enricher none', () => {
      const arn = (role: 'produce' | 'fetch' | 'group') => ({ 'Fn::GetAtt': [logicalId(`Kafkaless${functionConstructId(role)}`), 'Arn'] });
      expect(invokedBy('OrderProducer')).toEqual([arn('produce')]);
      expect(invokedBy('OrderConsumer')).toEqual([arn('fetch'), arn('group')]);
      // The enricher is subscribed exactly once: it answers its output, the trigger appends it.
      expect(invokedBy('OrderEnricher')).toEqual([]);
    });
  });
});
