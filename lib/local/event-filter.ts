/**
 * Lambda's event filtering, as much of it as the local stack's mappings
 * use: a pattern is an object whose leaves are arrays of allowed values,
 * where a value is a literal, `{ "exists": true|false }`, `{ "prefix": "…" }`
 * or `{ "anything-but": [...] }`. A record matches when every key of the
 * pattern matches. Pure.
 */

export function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((allowed) => matchesLeaf(allowed, value));
  if (pattern === null || typeof pattern !== 'object') return pattern === value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    // A nested pattern over a missing field matches only `exists: false` leaves.
    return Object.values(pattern).every((sub) => onlyAbsence(sub));
  }
  return Object.entries(pattern).every(([key, sub]) => matchesPattern(sub, (value as Record<string, unknown>)[key]));
}

/** Whether a record matches any of the patterns (JSON strings); with none, every record does. */
export function matchesAnyFilter(patterns: readonly string[], record: unknown): boolean {
  if (patterns.length === 0) return true;
  return patterns.some((p) => matchesPattern(JSON.parse(p) as unknown, record));
}

function matchesLeaf(allowed: unknown, value: unknown): boolean {
  if (allowed !== null && typeof allowed === 'object' && !Array.isArray(allowed)) {
    const rule = allowed as Record<string, unknown>;
    if ('exists' in rule) return rule.exists === true ? value !== undefined : value === undefined;
    if ('prefix' in rule) return typeof value === 'string' && typeof rule.prefix === 'string' && value.startsWith(rule.prefix);
    if ('anything-but' in rule) {
      const but = rule['anything-but'];
      return value !== undefined && !(Array.isArray(but) ? but : [but]).includes(value);
    }
    return false;
  }
  return allowed === value;
}

function onlyAbsence(pattern: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((leaf) => leaf !== null && typeof leaf === 'object' && (leaf as { exists?: unknown }).exists === false);
  if (pattern === null || typeof pattern !== 'object') return false;
  return Object.values(pattern).every((sub) => onlyAbsence(sub));
}
