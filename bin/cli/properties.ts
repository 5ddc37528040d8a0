/**
 * Kafka's console tools' `key=value` properties: repeated `--property` /
 * `--producer-property` flags and `.properties` files (`--producer.config`).
 * Backslash escapes (`\t`, `\n`, `\\`) in values are read as Kafka's tools do.
 */
import { readFileSync } from 'node:fs';
import { CliUsageError } from './connect.js';

export type Properties = ReadonlyMap<string, string>;

/** Commander's collector for a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f', '\\': '\\' };

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c);
}

/** `key=value` split at the first `=` (or, in a file, `:` as Java allows); a file's values lose their leading blanks. */
function pair(text: string, where: string, inFile: boolean): [string, string] {
  const at = text.search(inFile ? /[=:]/ : /=/);
  if (at <= 0) throw new CliUsageError(`${where}: expected key=value, got '${text}'`);
  const value = text.slice(at + 1);
  return [text.slice(0, at).trim(), unescape(inFile ? value.trimStart() : value)];
}

/** `--flag k=v` values, later ones winning. */
export function parseProperties(values: readonly string[] | undefined, flag: string): Map<string, string> {
  return new Map((values ?? []).map((v) => pair(v, flag, false)));
}

/** A Java `.properties` file: `key=value` (or `key: value`) lines; `#` and `!` start comments. */
export function loadPropertiesFile(path: string): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliUsageError(`Cannot read properties file ${path}: ${(err as Error).message}`);
  }
  const out = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) return;
    const [k, v] = pair(line, `${path}:${i + 1}`, true);
    out.set(k, v);
  });
  return out;
}

/** A boolean property (`true`/`false`, any case); `fallback` when absent. */
export function booleanProperty(props: Properties, name: string, fallback: boolean): boolean {
  const v = props.get(name);
  if (v === undefined) return fallback;
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  throw new CliUsageError(`--property ${name} takes true or false, got '${v}'`);
}
