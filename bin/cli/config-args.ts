/** Parsing of kafka-configs.sh / kafka-topics.sh style arguments: configs, partitions, times. */
import { CliUsageError } from './connect.js';

export interface ConfigArg {
  readonly name: string;
  readonly value: string;
}

/** `--config k=v` (repeatable): one pair each. */
export function parseConfigPairs(pairs: readonly string[] = []): ConfigArg[] {
  return pairs.map((pair) => parsePair(pair, '--config'));
}

function parsePair(pair: string, option: string): ConfigArg {
  const at = pair.indexOf('=');
  if (at <= 0) throw new CliUsageError(`${option} takes key=value, got '${pair}'`);
  const raw = pair.slice(at + 1).trim();
  const value = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  return { name: pair.slice(0, at).trim(), value };
}

/**
 * kafka-configs.sh's `--add-config k1=v1,k2=[a,b]`: pairs separated by
 * commas outside square brackets; a bracketed value is a list.
 */
export function parseAddConfig(values: readonly string[] = []): ConfigArg[] {
  return values.flatMap((v) => v.split(/,(?=[^\]]*(?:\[|$))/).filter((s) => s.trim() !== '').map((pair) => parsePair(pair, '--add-config')));
}

/** `--delete-config k1,k2` (repeatable). */
export function parseDeleteConfig(values: readonly string[] = []): string[] {
  return values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

/** `--partitions 0,1,4-6` as kafka-get-offsets.sh takes them. */
export function parsePartitionList(value: string): number[] {
  const out = new Set<number>();
  for (const part of value.split(',').map((s) => s.trim())) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (range === null) throw new CliUsageError(`--partitions takes partition numbers or ranges such as 0,1,4-6; got '${part}'`);
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to < from) throw new CliUsageError(`--partitions range '${part}' ends before it starts`);
    for (let p = from; p <= to; p++) out.add(p);
  }
  return [...out].sort((a, b) => a - b);
}

/** `--time latest|earliest|-1|-2|<epoch ms>|<ISO-8601>`. */
export function parseOffsetTime(value: string): number | 'earliest' | 'latest' {
  const v = value.trim();
  if (v === 'latest' || v === '-1') return 'latest';
  if (v === 'earliest' || v === '-2') return 'earliest';
  if (/^\d+$/.test(v)) return Number(v);
  const parsed = /\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(parsed)) {
    throw new CliUsageError(`--time takes latest, earliest, an epoch time in milliseconds or an ISO-8601 time such as 2024-05-01T12:00:00Z; got '${value}'`);
  }
  return parsed;
}
