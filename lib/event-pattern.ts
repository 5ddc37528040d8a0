/**
 * Lambda's event filtering patterns (FilterCriteria), as the local stack's
 * stream mappings and subscriptions' filters read them. A pattern is an
 * object whose leaves are arrays of allowed values; a record matches when
 * every key of the pattern matches (`$or`: any of a list of patterns). An
 * allowed value is a literal (string, number, boolean, null) or a rule:
 * `{ exists: true|false }`, `{ prefix }`, `{ suffix }`,
 * `{ "equals-ignore-case" }`, `{ wildcard }` (`*` for any run), `{ numeric:
 * [">", 0, "<=", 5] }`, `{ "anything-but": value | [values] | { prefix } |
 * { suffix } }`. Where the record holds an array, the leaf matches when any
 * element does. Pure.
 */

export type Pattern = Readonly<Record<string, unknown>>;

const RULES = new Set(['exists', 'prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'numeric', 'anything-but']);
const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

export function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return matchesLeaves(pattern, value);
  if (pattern === null || typeof pattern !== 'object') return pattern === value;
  return Object.entries(pattern).every(([key, sub]) => {
    if (key === '$or') return Array.isArray(sub) && sub.some((alternative) => matchesPattern(alternative, value));
    const field = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
    // A nested pattern over a missing field matches only `exists: false` leaves.
    if (field === undefined && !Array.isArray(sub)) return onlyAbsence(sub);
    return matchesPattern(sub, field);
  });
}

/** Whether a record matches any of the patterns (JSON strings); with none, every record does. */
export function matchesAnyFilter(patterns: readonly string[], record: unknown): boolean {
  if (patterns.length === 0) return true;
  return patterns.some((p) => matchesPattern(JSON.parse(p) as unknown, record));
}

/** A matcher over parsed patterns: any of them; with none, everything. */
export function anyPatternMatcher(patterns: readonly string[]): (record: unknown) => boolean {
  const parsed = patterns.map((p) => JSON.parse(p) as unknown);
  return (record) => parsed.length === 0 || parsed.some((p) => matchesPattern(p, record));
}

/** What is wrong with a pattern (a JSON string): nothing when it can be matched. */
export function patternProblems(json: string): string[] {
  let pattern: unknown;
  try {
    pattern = JSON.parse(json);
  } catch (err) {
    return [`is not JSON: ${(err as Error).message}`];
  }
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) return ['must be a JSON object'];
  return objectProblems(pattern as Pattern, '');
}

function objectProblems(pattern: Pattern, path: string): string[] {
  return Object.entries(pattern).flatMap(([key, sub]) => {
    const here = path === '' ? key : `${path}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(sub) || sub.length < 2) return [`${here} must list at least two patterns`];
      return sub.flatMap((alt, i) => (alt !== null && typeof alt === 'object' && !Array.isArray(alt) ? objectProblems(alt as Pattern, `${here}[${i}]`) : [`${here}[${i}] must be an object`]));
    }
    if (Array.isArray(sub)) return sub.flatMap((leaf, i) => leafProblems(leaf, `${here}[${i}]`));
    if (sub !== null && typeof sub === 'object') return objectProblems(sub as Pattern, here);
    return [`${here} must be an array of allowed values or a nested pattern`];
  });
}

function leafProblems(leaf: unknown, path: string): string[] {
  if (leaf === null || typeof leaf !== 'object') return [];
  if (Array.isArray(leaf)) return [`${path} must be a value or a rule, not an array`];
  const keys = Object.keys(leaf);
  if (keys.length !== 1 || !RULES.has(keys[0]!)) return [`${path} must be one rule of ${[...RULES].join(', ')}`];
  const [rule, arg] = [keys[0]!, (leaf as Record<string, unknown>)[keys[0]!]];
  if (rule === 'exists' && typeof arg !== 'boolean') return [`${path}: exists takes true or false`];
  if ((rule === 'prefix' || rule === 'suffix' || rule === 'equals-ignore-case' || rule === 'wildcard') && typeof arg !== 'string') return [`${path}: ${rule} takes a string`];
  if (rule === 'numeric' && !numericRule(arg)) return [`${path}: numeric takes operator and number pairs, e.g. [">", 0, "<=", 5]`];
  return [];
}

function numericRule(arg: unknown): arg is readonly (string | number)[] {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0) return false;
  for (let i = 0; i < arg.length; i += 2) if (!NUMERIC_OPERATORS.has(arg[i] as string) || typeof arg[i + 1] !== 'number') return false;
  return true;
}

function matchesLeaves(leaves: readonly unknown[], value: unknown): boolean {
  if (Array.isArray(value)) return value.some((element) => leaves.some((leaf) => matchesLeaf(leaf, element)));
  return leaves.some((leaf) => matchesLeaf(leaf, value));
}

function matchesLeaf(allowed: unknown, value: unknown): boolean {
  if (allowed === null || typeof allowed !== 'object' || Array.isArray(allowed)) return allowed === value;
  const rule = allowed as Record<string, unknown>;
  if ('exists' in rule) return rule.exists === true ? value !== undefined : value === undefined;
  if ('prefix' in rule) return typeof value === 'string' && typeof rule.prefix === 'string' && value.startsWith(rule.prefix);
  if ('suffix' in rule) return typeof value === 'string' && typeof rule.suffix === 'string' && value.endsWith(rule.suffix);
  if ('equals-ignore-case' in rule) return typeof value === 'string' && typeof rule['equals-ignore-case'] === 'string' && value.toLowerCase() === rule['equals-ignore-case'].toLowerCase();
  if ('wildcard' in rule) return typeof value === 'string' && typeof rule.wildcard === 'string' && wildcardRegExp(rule.wildcard).test(value);
  if ('numeric' in rule) return typeof value === 'number' && numericRule(rule.numeric) && numericMatches(rule.numeric, value);
  if ('anything-but' in rule) return value !== undefined && !anythingBut(rule['anything-but'], value);
  return false;
}

/** Whether `value` is one of what anything-but excludes. */
function anythingBut(but: unknown, value: unknown): boolean {
  if (but !== null && typeof but === 'object' && !Array.isArray(but)) return matchesLeaf(but, value);
  return (Array.isArray(but) ? but : [but]).includes(value);
}

function numericMatches(rule: readonly (string | number)[], value: number): boolean {
  for (let i = 0; i < rule.length; i += 2) {
    const bound = rule[i + 1] as number;
    const ok = { '=': value === bound, '<': value < bound, '<=': value <= bound, '>': value > bound, '>=': value >= bound }[rule[i] as '=' | '<' | '<=' | '>' | '>='];
    if (!ok) return false;
  }
  return true;
}

function wildcardRegExp(wildcard: string): RegExp {
  return new RegExp(`^${wildcard.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

function onlyAbsence(pattern: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((leaf) => leaf !== null && typeof leaf === 'object' && (leaf as { exists?: unknown }).exists === false);
  if (pattern === null || typeof pattern !== 'object') return false;
  return Object.entries(pattern).every(([key, sub]) => (key === '$or' ? Array.isArray(sub) && sub.some(onlyAbsence) : onlyAbsence(sub)));
}
