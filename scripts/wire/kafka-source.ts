/**
 * Reads files from an Apache Kafka source tree: a git directory (bare or not) at a
 * ref, through `git show`. The scripts that vendor Kafka's protocol definitions and
 * transcribe its error table read Kafka only through here.
 */
import { execFileSync } from 'node:child_process';

export interface KafkaSource {
  readonly gitDir: string;
  readonly ref: string;
}

export function kafkaCommit(source: KafkaSource): string {
  return git(source, ['rev-parse', `${source.ref}^{commit}`]).trim();
}

export function readKafkaFile(source: KafkaSource, path: string): string {
  return git(source, ['show', `${source.ref}:${path}`]);
}

export function listKafkaDir(source: KafkaSource, dir: string): string[] {
  return git(source, ['ls-tree', '--name-only', source.ref, `${dir}/`])
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.slice(dir.length + 1));
}

/** `--git-dir <dir> [--ref <ref>]` from argv. */
export function kafkaSourceFromArgs(argv: readonly string[]): KafkaSource {
  const gitDir = argValue(argv, '--git-dir');
  if (gitDir === undefined) throw new Error('usage: --git-dir <path to a Kafka git directory> [--ref <ref>]');
  return { gitDir, ref: argValue(argv, '--ref') ?? 'HEAD' };
}

function argValue(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

function git(source: KafkaSource, args: string[]): string {
  return execFileSync('git', ['--git-dir', source.gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}
