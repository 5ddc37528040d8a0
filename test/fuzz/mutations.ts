/**
 * Malformed events for the handlers: random JSON, and valid requests with a
 * few mutations each (wrong types, huge and negative numbers, unknown
 * fields, very long strings, bad base64, truncated batches, missing fields).
 */
import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Mutation {
  readonly pathSeed: number;
  readonly action: 'replace' | 'delete' | 'addField';
  readonly value: Json;
  readonly field: string;
}

/** Values that break assumptions: the extremes of every JSON type, and the batch-shaped strings given. */
export function weirdValue(batchLike: readonly string[]): fc.Arbitrary<Json> {
  return fc.oneof(
    fc.constantFrom<Json>(
      null,
      true,
      0,
      -1,
      -(2 ** 31),
      2 ** 31,
      2 ** 53,
      2 ** 63,
      1e300,
      -1e300,
      0.5,
      Number.MAX_SAFE_INTEGER + 2,
      '',
      '***',
      '====',
      'x'.repeat(100_000),
      '\u0000',
      '../..',
      [],
      {},
      [null],
      { action: 'produce' },
    ),
    fc.constantFrom<Json>(...batchLike),
    fc.string({ maxLength: 40 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  );
}

export function mutationArbitrary(batchLike: readonly string[]): fc.Arbitrary<Mutation> {
  return fc.record({
    pathSeed: fc.nat(),
    action: fc.constantFrom('replace' as const, 'replace' as const, 'delete' as const, 'addField' as const),
    value: weirdValue(batchLike),
    field: fc.oneof(fc.constantFrom('extra', '__proto__', 'constructor', 'action', 'topic'), fc.string({ maxLength: 10 })),
  });
}

/** Every path to a value inside `value` (the root included). */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

function clone(value: Json): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

/** Applies mutations in turn; each picks a path from the current value by its seed. */
export function mutate(template: Json, mutations: readonly Mutation[]): Json {
  let root = clone(template);
  for (const m of mutations) {
    const all = paths(root);
    const path = all[m.pathSeed % all.length]!;
    if (path.length === 0) {
      if (m.action === 'replace') root = clone(m.value);
      else if (m.action === 'addField' && root !== null && typeof root === 'object' && !Array.isArray(root)) setOwn(root, m.field, clone(m.value));
      continue;
    }
    const parent = path.slice(0, -1).reduce<Json>((v, k) => (v as Record<string | number, Json>)[k]!, root) as Record<string | number, Json> | Json[];
    const key = path[path.length - 1]!;
    if (m.action === 'replace') (parent as Record<string | number, Json>)[key] = clone(m.value);
    else if (m.action === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else {
      const target = (parent as Record<string | number, Json>)[key];
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) setOwn(target, m.field, clone(m.value));
      else (parent as Record<string | number, Json>)[key] = clone(m.value);
    }
  }
  return root;
}

/** Sets a key as an own data property, even `__proto__`, as JSON.parse would. */
function setOwn(target: { [key: string]: Json }, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export type { Json };
