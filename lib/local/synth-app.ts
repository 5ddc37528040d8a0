/**
 * Synthesizes an app of your own for the local stack, as the CDK CLI does:
 * its cdk.json command run in its folder with CDK_OUTDIR and
 * CDK_CONTEXT_JSON (its context, plus the asset and path metadata the
 * local stack reads functions' bundles and roles from), then the cloud
 * assembly read back for the stack that holds the `Kafkaless` construct.
 */
import { spawn } from 'node:child_process';
import { CloudAssembly, type CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { ASSET_METADATA_CONTEXT } from '../infra/app.js';
import type { AppProject } from './app-project.js';
import { markBundlesCommonJsScope, type LocalAssembly } from './synth-stack.js';
import { readTemplate } from './template.js';

const PATH_METADATA_CONTEXT = 'aws:cdk:enable-path-metadata';
/** Of the app's output, how much an error shows. */
const OUTPUT_TAIL_CHARS = 4000;

export interface SynthesizeAppOptions {
  readonly outdir: string;
  /** The stack to serve, when the app has more than one with the construct. */
  readonly stackName?: string;
  readonly region: string;
}

export async function synthesizeApp(app: AppProject, options: SynthesizeAppOptions): Promise<LocalAssembly> {
  const context = { ...app.context, [ASSET_METADATA_CONTEXT]: true, [PATH_METADATA_CONTEXT]: true };
  await runAppCommand(app, { CDK_OUTDIR: options.outdir, CDK_CONTEXT_JSON: JSON.stringify(context) });
  const assembly = new CloudAssembly(options.outdir);
  const stack = pickStack(assembly.stacksRecursively, options);
  markBundlesCommonJsScope(assembly.directory);
  return { stackName: stack.stackName, template: stack.template as unknown, assemblyDir: assembly.directory };
}

function runAppCommand(app: AppProject, env: Readonly<Record<string, string>>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(app.command, { cwd: app.root, shell: true, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`Synthesizing the app in ${app.root} (${app.command}) exited with ${code}:\n${output}`));
    });
  });
}

/** The stack named, else the only stack that holds kafkaless's functions. */
function pickStack(stacks: readonly CloudFormationStackArtifact[], options: SynthesizeAppOptions): CloudFormationStackArtifact {
  if (options.stackName !== undefined) {
    const named = stacks.find((s) => s.stackName === options.stackName);
    if (named === undefined) throw new Error(`The app has no stack '${options.stackName}' (its stacks: ${stacks.map((s) => s.stackName).join(', ') || 'none'})`);
    return named;
  }
  const withKafkaless = stacks.filter((s) => holdsKafkaless(s, options));
  if (withKafkaless.length === 1) return withKafkaless[0]!;
  if (withKafkaless.length === 0) throw new Error(`No stack of the app holds the Kafkaless construct (its stacks: ${stacks.map((s) => s.stackName).join(', ') || 'none'})`);
  throw new Error(`Several stacks of the app hold the Kafkaless construct (${withKafkaless.map((s) => s.stackName).join(', ')}): name one with --stack`);
}

function holdsKafkaless(stack: CloudFormationStackArtifact, options: SynthesizeAppOptions): boolean {
  try {
    return readTemplate(stack.template as unknown, { stackName: stack.stackName, assemblyDir: stack.assembly.directory, region: options.region }).functions.some((f) => f.role !== undefined);
  } catch {
    return false;
  }
}
