/**
 * Kafka's config value types (ConfigDef: BOOLEAN, INT, LONG, DOUBLE,
 * STRING, LIST) and validators, with Kafka's ranges and wording. A value is
 * a string, as Kafka carries it; a check returns what is wrong, or
 * undefined when the value is valid.
 */

export type ConfigType = 'boolean' | 'int' | 'long' | 'double' | 'string' | 'list';

export interface ConfigValidator {
  readonly type: ConfigType;
  /** The allowed values, as Kafka's docs print them ("[0,...]", "[delete, compact]"). */
  readonly validValues: string;
  readonly check: (value: string) => string | undefined;
}

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Java's Long.MAX_VALUE as Kafka prints it. */
export const LONG_MAX_VALUE = LONG_MAX.toString();

function rangeText(min: bigint | undefined, max: bigint | undefined): string {
  if (min !== undefined && max !== undefined) return `[${min},...,${max}]`;
  if (min !== undefined) return `[${min},...]`;
  if (max !== undefined) return `[...,${max}]`;
  return '';
}

function integer(type: 'int' | 'long', min: number | bigint | undefined, max: number | bigint | undefined): ConfigValidator {
  const lo = min === undefined ? undefined : BigInt(min);
  const hi = max === undefined ? undefined : BigInt(max);
  const [typeMin, typeMax, what] = type === 'int' ? [INT_MIN, INT_MAX, '32-bit integer'] : [LONG_MIN, LONG_MAX, '64-bit integer'];
  return {
    type,
    validValues: rangeText(lo, hi),
    check: (value) => {
      const trimmed = value.trim();
      if (!/^[+-]?\d+$/.test(trimmed)) return `Expected value to be a ${what}`;
      const n = BigInt(trimmed);
      if (n < typeMin || n > typeMax) return `Expected value to be a ${what} (${typeMin} to ${typeMax})`;
      if (lo !== undefined && n < lo) return `Value must be at least ${lo}`;
      if (hi !== undefined && n > hi) return `Value must be no more than ${hi}`;
      return undefined;
    },
  };
}

/** INT, optionally within [min, max]. */
export const int = (min?: number, max?: number): ConfigValidator => integer('int', min, max);

/** LONG, optionally within [min, max]. */
export const long = (min?: number | bigint, max?: number | bigint): ConfigValidator => integer('long', min, max);

/** INT within [min, max], or exactly `special` (gzip's -1 for the codec's default level). */
export function intBetweenOr(min: number, max: number, special: number): ConfigValidator {
  const base = int();
  return {
    type: 'int',
    validValues: `[${min},...,${max}] or ${special}`,
    check: (value) => {
      const problem = base.check(value);
      if (problem !== undefined) return problem;
      const n = Number(value.trim());
      return n === special || (n >= min && n <= max) ? undefined : `Value must be between ${min} and ${max} or equal to ${special}`;
    },
  };
}

export function double(min: number, max: number): ConfigValidator {
  return {
    type: 'double',
    validValues: `[${min},...,${max}]`,
    check: (value) => {
      const trimmed = value.trim();
      const n = Number(trimmed);
      if (trimmed === '' || !Number.isFinite(n)) return 'Expected value to be a double';
      if (n < min) return `Value must be at least ${min}`;
      if (n > max) return `Value must be no more than ${max}`;
      return undefined;
    },
  };
}

export const bool = (): ConfigValidator => ({
  type: 'boolean',
  validValues: '',
  check: (value) => (/^(true|false)$/i.test(value.trim()) ? undefined : 'Expected value to be either true or false'),
});

/** STRING, one of the allowed values (Kafka's ValidString.in). */
export function oneOf(allowed: readonly string[]): ConfigValidator {
  return {
    type: 'string',
    validValues: `[${allowed.join(', ')}]`,
    check: (value) => (allowed.includes(value.trim()) ? undefined : `String must be one of: ${allowed.join(', ')}`),
  };
}

/** STRING matching a pattern, `expected` saying what is allowed. */
export function matching(pattern: RegExp, expected: string): ConfigValidator {
  return { type: 'string', validValues: expected, check: (value) => (pattern.test(value.trim()) ? undefined : `Expected ${expected}`) };
}

/** A LIST value's items: comma-separated, trimmed; the empty string is the empty list. */
export function listItems(value: string): string[] {
  return value.trim() === '' ? [] : value.split(',').map((s) => s.trim());
}

/** LIST whose items are each one of the allowed values (Kafka's ValidList.in); empty only when `allowEmpty`. */
export function listOf(allowed: readonly string[], allowEmpty = false): ConfigValidator {
  return {
    type: 'list',
    validValues: `[${allowed.join(', ')}]`,
    check: (value) => {
      const items = listItems(value);
      if (items.length === 0 && !allowEmpty) return `Expected a comma-separated list of: ${allowed.join(', ')}`;
      if (items.some((s) => s === '')) return 'Expected a comma-separated list without empty items';
      const bad = items.find((s) => !allowed.includes(s));
      return bad === undefined ? undefined : `Invalid value ${bad}; list items must be one of: ${allowed.join(', ')}`;
    },
  };
}

/** Kafka's throttled-replicas list: `*`, or `partitionId:brokerId` items (empty allowed). */
export const throttledReplicas = (): ConfigValidator => ({
  type: 'list',
  validValues: '[partitionId]:[brokerId],[partitionId]:[brokerId],...',
  check: (value) => {
    const items = listItems(value);
    if (items.join('') === '*' || items.every((s) => /^\d+:\d+$/.test(s))) return undefined;
    return "Must be the literal '*' or a list of replicas in the following format: [partitionId]:[brokerId],[partitionId]:[brokerId],...";
  },
});
